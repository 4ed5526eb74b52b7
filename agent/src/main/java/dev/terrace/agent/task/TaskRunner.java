package dev.terrace.agent.task;

import dev.terrace.agent.containerizer.ContainerExit;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.containerizer.LaunchedContainer;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.ContainerId;
import dev.terrace.common.model.ContainerStatus;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.KillPolicy;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one task: STARTING, container launch on the containerizer pool, RUNNING, then the
 * terminal state from how the process ended. A kill sends SIGTERM, then SIGKILL after the grace
 * period. All state changes happen on the agent context; blocking work goes to the worker pool.
 */
public final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  /** Mesos' default grace period between SIGTERM and SIGKILL for command tasks. */
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);
  private static final double MIN_CPUS = 0.01;
  private static final long MIN_MEMORY_BYTES = 4L * 1024 * 1024;

  private enum Phase { NEW, LAUNCHING, RUNNING, EXITED }

  private final Vertx vertx;
  private final Context context;
  private final WorkerExecutor pool;
  private final Containerizer containerizer;
  private final AgentId agentId;
  private final FrameworkId frameworkId;
  private final FrameworkInfo frameworkInfo;
  private final TaskInfo task;
  private final Path sandbox;
  private final String containerId;
  private final Consumer<TaskStatus> statusSink;
  private final Runnable onDone;
  private Phase phase = Phase.NEW;
  private TaskState state = TaskState.TASK_STAGING;
  private boolean killRequested;
  private KillPolicy killPolicy;
  private LaunchedContainer container;
  private boolean cleanedUp;

  public TaskRunner(Vertx vertx, WorkerExecutor pool, Containerizer containerizer, AgentId agentId,
      FrameworkId frameworkId, FrameworkInfo frameworkInfo, TaskInfo task, Path sandbox,
      String containerId, Consumer<TaskStatus> statusSink, Runnable onDone) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.containerizer = containerizer;
    this.agentId = agentId;
    this.frameworkId = frameworkId;
    this.frameworkInfo = frameworkInfo;
    this.task = task;
    this.sandbox = sandbox;
    this.containerId = containerId;
    this.statusSink = statusSink;
    this.onDone = onDone;
  }

  public static String newContainerId() {
    return UUID.randomUUID().toString();
  }

  public TaskInfo task() {
    return task;
  }

  public FrameworkId frameworkId() {
    return frameworkId;
  }

  public TaskState state() {
    return state;
  }

  public Path sandbox() {
    return sandbox;
  }

  /** True once a terminal task's container is destroyed (or there never was one). */
  public boolean isCleanedUp() {
    return cleanedUp;
  }

  public String containerId() {
    return containerId;
  }

  public void start() {
    phase = Phase.LAUNCHING;
    String image = task.container() == null ? null : task.container().imageName();
    report(TaskState.TASK_STARTING, null, image == null ? "Launching container " + containerId
        : "Pulling image " + image + " for container " + containerId);
    boolean imageCommand = image != null && TaskCommand.usesImageCommand(task.command());
    Resources res = Resources.of(task.resources());
    ContainerLaunch launch = new ContainerLaunch(containerId, sandbox,
        imageCommand ? TaskCommand.imageArguments(task.command()) : TaskCommand.argv(task.command()),
        TaskCommand.environment(task, frameworkId, agentId),
        Math.max(MIN_CPUS, res.scalar("cpus")),
        Math.max(MIN_MEMORY_BYTES, (long) (res.scalar("mem") * 1024 * 1024)),
        hostname(), image, imageCommand);
    pool.<LaunchedContainer>executeBlocking(() -> {
      Files.createDirectories(sandbox);
      return containerizer.launch(launch);
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("Task {} failed to launch: {}", task.taskId(), ar.cause().getMessage());
        finish(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
            "Failed to launch container: " + ar.cause().getMessage());
        return;
      }
      container = ar.result();
      phase = Phase.RUNNING;
      container.exit().whenComplete((exit, err) -> context.runOnContext(v -> exited(exit, err)));
      if (killRequested) {
        signal(15);
        scheduleForceKill();
      } else {
        report(TaskState.TASK_RUNNING, null, null);
      }
    });
  }

  /** Kill: SIGTERM now, SIGKILL after the grace period (the policy's, or 3 s). */
  public void kill(KillPolicy policy) {
    if (phase == Phase.EXITED || killRequested) {
      return;
    }
    killRequested = true;
    killPolicy = policy != null ? policy : task.killPolicy();
    if (phase == Phase.RUNNING) {
      if (frameworkInfo != null
          && frameworkInfo.hasCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
        report(TaskState.TASK_KILLING, null, "Killing task");
      }
      signal(15);
      scheduleForceKill();
    } else if (phase == Phase.NEW) {
      finish(TaskState.TASK_KILLED, TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH,
          "Killed before launch");
    }
    // LAUNCHING: the launch completion sees killRequested and kills at once.
  }

  private void scheduleForceKill() {
    Duration grace = killPolicy != null && killPolicy.gracePeriod() != null
        ? killPolicy.gracePeriod().toDuration() : DEFAULT_GRACE;
    vertx.setTimer(Math.max(1, grace.toMillis()), t -> {
      if (phase == Phase.RUNNING) {
        signal(9);
      }
    });
  }

  private void signal(int sig) {
    pool.executeBlocking(() -> {
      containerizer.signal(containerId, sig);
      return null;
    }, false).onFailure(e -> LOG.warn("Signal {} to task {} failed: {}", sig, task.taskId(), e.getMessage()));
  }

  private void exited(ContainerExit exit, Throwable err) {
    if (phase == Phase.EXITED) {
      return;
    }
    if (err != null || exit == null) {
      finish(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED,
          "Lost track of the container: " + (err == null ? "no exit status" : err.getMessage()));
    } else if (killRequested) {
      finish(TaskState.TASK_KILLED, null, "Command terminated by signal "
          + (exit.signal() != 0 ? exit.signal() : 15) + " after a kill request");
    } else if (exit.memoryLimitExceeded()) {
      finish(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY,
          exit.message());
    } else if (exit.exitCode() == 0) {
      finish(TaskState.TASK_FINISHED, null, exit.message());
    } else {
      finish(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED, exit.message());
    }
  }

  private void finish(TaskState terminal, TaskStatus.Reason reason, String message) {
    boolean hadContainer = phase == Phase.RUNNING || container != null;
    phase = Phase.EXITED;
    report(terminal, reason, message);
    if (hadContainer) {
      pool.executeBlocking(() -> {
        containerizer.destroy(containerId);
        return null;
      }, false).onComplete(ar -> {
        cleanedUp = true;
        onDone.run();
      });
    } else {
      cleanedUp = true;
      onDone.run();
    }
  }

  private void report(TaskState newState, TaskStatus.Reason reason, String message) {
    state = newState;
    TaskStatus status = TaskStatus.of(task.taskId(), newState, TaskStatus.Source.SOURCE_AGENT,
        reason, message, agentId);
    status = new TaskStatus(status.taskId(), status.state(), status.message(), status.source(),
        status.reason(), null, agentId, dev.terrace.common.model.ExecutorId.of(task.taskId().value()),
        status.timestamp(), status.uuid(), null, null, null, null);
    status = status.withContainerStatus(new ContainerStatus(ContainerId.of(containerId), null,
        container == null ? null : container.pid()));
    statusSink.accept(status);
  }

  /** The container's own hostname: ContainerInfo's, else its id cut to a valid host label. */
  private String hostname() {
    if (task.container() != null && task.container().hostname() != null) {
      return task.container().hostname();
    }
    return containerId.length() > 63 ? containerId.substring(0, 63) : containerId;
  }
}
