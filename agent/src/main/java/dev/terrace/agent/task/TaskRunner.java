package dev.terrace.agent.task;

import dev.terrace.agent.checkpoint.TaskCheckpoint;
import dev.terrace.agent.checkpoint.TaskCheckpoints;
import dev.terrace.agent.containerizer.ContainerExit;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.containerizer.LaunchedContainer;
import dev.terrace.agent.fetcher.FetchException;
import dev.terrace.agent.fetcher.UriFetcher;
import dev.terrace.agent.health.HealthChecker;
import dev.terrace.agent.health.HealthPolicy;
import dev.terrace.agent.health.Probes;
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
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one task: STARTING, container launch on the containerizer pool, RUNNING, then the
 * terminal state from how the process ended. A kill sends SIGTERM, then SIGKILL after the grace
 * period. All state changes happen on the agent context; blocking work goes to the worker pool.
 *
 * <p>A task with a health check is checked while it runs ({@link HealthChecker}): each change of
 * health is a RUNNING update with {@code healthy} set and reason
 * {@code REASON_TASK_HEALTH_CHECK_STATUS_UPDATED}; too many failures kill it (its policy's grace
 * period applies) and it ends TASK_KILLED with {@code healthy=false} and the checks' message.
 *
 * <p>Checkpoint: before the launch, and on each later state change, the task's
 * {@link TaskCheckpoint} is written (in order, one write after the other) so that a restarted agent
 * can {@link #recover} it. The terminal state is checkpointed, after its status update is, before
 * the container is destroyed: a restart at any point then neither loses the exit nor reports a
 * second, different end for the task.
 */
public final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
  /** Mesos' default grace period between SIGTERM and SIGKILL for command tasks. */
  private static final Duration DEFAULT_GRACE = Duration.ofSeconds(3);
  private static final double MIN_CPUS = 0.01;
  private static final long MIN_MEMORY_BYTES = 4L * 1024 * 1024;
  /** At most one TASK_STARTING update with pull progress this often (each must be acked). */
  static final Duration PULL_PROGRESS_INTERVAL = Duration.ofSeconds(2);
  /**
   * How often a task with a disk resource has its sandbox and writable layer measured. Mesos
   * checks every 15 s; a {@code du} of a sandbox is cheap next to what a task can write in 15 s.
   */
  static final Duration DISK_CHECK_INTERVAL = Duration.ofSeconds(3);
  /** A task labelled with this, value {@code true}, runs in a user namespace of its own. */
  public static final String USER_NAMESPACE_LABEL = "terrace.user-namespace";

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
  /** The key of the task group sharing this task's network namespace, or null. */
  private String networkGroup;
  private final TaskCheckpoints checkpoints;
  private final UriFetcher fetcher;
  /** Queues a status update; the future completes once the update is checkpointed. */
  private final Function<TaskStatus, Future<Void>> statusSink;
  private final Runnable onDone;
  private Phase phase = Phase.NEW;
  private TaskState state = TaskState.TASK_STAGING;
  private boolean killRequested;
  private KillPolicy killPolicy;
  private LaunchedContainer container;
  private boolean cleanedUp;
  /** Runs the task's health check while it runs, if it has one. */
  private HealthChecker health;
  /** The last health the checks reported; every later update carries it, as Mesos' do. */
  private Boolean healthy;
  /** Why the health checks asked for the kill, when they did. */
  private String healthKillMessage;
  /** Set when the task wrote more than its disk resource: it is killed and fails for that. */
  private String diskLimitMessage;
  private long diskTimer = -1;
  private boolean diskCheckRunning;
  /** The last checkpoint write; the next one waits for it so that the newest state wins. */
  private Future<Void> lastWrite = Future.succeededFuture();

  public TaskRunner(Vertx vertx, WorkerExecutor pool, Containerizer containerizer, AgentId agentId,
      TaskCheckpoints checkpoints, UriFetcher fetcher, FrameworkId frameworkId,
      FrameworkInfo frameworkInfo, TaskInfo task, Path sandbox, String containerId,
      Function<TaskStatus, Future<Void>> statusSink, Runnable onDone) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.containerizer = containerizer;
    this.checkpoints = checkpoints;
    this.fetcher = fetcher;
    this.agentId = agentId;
    this.frameworkId = frameworkId;
    this.frameworkInfo = frameworkInfo;
    this.task = task;
    this.sandbox = sandbox;
    this.containerId = containerId;
    this.statusSink = statusSink;
    this.onDone = onDone;
  }

  /**
   * Makes this task share one network namespace with the other tasks of its LAUNCH_GROUP
   * ({@code group} is the group's executor id); call before {@link #start}.
   */
  public TaskRunner inGroup(String group) {
    this.networkGroup = group == null ? null : TaskNetwork.groupKey(frameworkId, group);
    return this;
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

  /** The task's user, as Mesos decides it: its command's, else its framework's (null if neither). */
  public String user() {
    if (task.command() != null && task.command().user() != null && !task.command().user().isEmpty()) {
      return task.command().user();
    }
    return frameworkInfo == null ? null : frameworkInfo.user();
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
    var invalid = TaskNetwork.invalid(task).or(() -> TaskVolumes.invalid(task));
    if (invalid.isPresent()) {
      // The master checks this too; an agent never forwards ports the task was not given.
      finish(TaskState.TASK_ERROR, TaskStatus.Reason.REASON_TASK_INVALID, invalid.get(), false);
      return;
    }
    phase = Phase.LAUNCHING;
    String image = task.container() == null ? null : task.container().imageName();
    report(TaskState.TASK_STARTING, null, image == null ? "Launching container " + containerId
        : "Pulling image " + image + " for container " + containerId);
    ContainerLaunch launch = launchSpec();
    TaskCheckpoint starting = checkpoint(TaskState.TASK_STARTING);
    long progressTimer = image == null ? -1 : reportPullProgress(image);
    pool.<LaunchedContainer>executeBlocking(() -> {
      Files.createDirectories(sandbox);
      // Before the launch: a container must never run that a restarted agent would not know of.
      checkpoints.write(starting);
      if (task.command() != null && !task.command().uris().isEmpty()) {
        fetcher.fetch(task.command().uris(), sandbox);
      }
      return containerizer.launch(launch);
    }, false).onComplete(ar -> {
      vertx.cancelTimer(progressTimer);
      if (ar.failed()) {
        LOG.warn("Task {} failed to launch: {}", task.taskId(), ar.cause().getMessage());
        String what = ar.cause() instanceof FetchException ? "Failed to fetch URIs: "
            : "Failed to launch container: ";
        finish(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
            what + ar.cause().getMessage(), false);
        return;
      }
      attached(ar.result(), TaskState.TASK_STARTING, true);
    });
  }

  /** While the image is pulled: a TASK_STARTING update whenever its progress changed. */
  private long reportPullProgress(String image) {
    String[] last = {null};
    return vertx.setPeriodic(PULL_PROGRESS_INTERVAL.toMillis(), t -> {
      if (phase != Phase.LAUNCHING || state != TaskState.TASK_STARTING) {
        return;
      }
      containerizer.images().flatMap(images -> images.progress(image))
          .filter(message -> !message.equals(last[0]))
          .ifPresent(message -> {
            last[0] = message;
            report(TaskState.TASK_STARTING, null, message);
          });
    });
  }

  /**
   * Takes over the task of an earlier agent run from its checkpoint (see
   * {@link Containerizer#recover}). {@code reported} is the newest state already reported for it,
   * so that nothing is reported twice. The future completes once the task is in its phase again:
   * running with its container re-attached, or ended (an exit while the agent was down is
   * reported before it completes).
   */
  public Future<Void> recover(TaskState reported) {
    state = reported;
    if (reported.isTerminal()) {
      // Its end was reported (and checkpointed) before the restart; the container may be left.
      phase = Phase.EXITED;
      destroyContainer();
      return Future.succeededFuture();
    }
    phase = Phase.LAUNCHING; // a kill meanwhile waits for the container, as during a launch
    if (reported == TaskState.TASK_KILLING) {
      killRequested = true;
      killPolicy = task.killPolicy();
    }
    ContainerLaunch launch = launchSpec();
    return pool.executeBlocking(() -> containerizer.recover(launch), false)
        .transform(ar -> {
          if (ar.succeeded() && ar.result().isPresent()) {
            attached(ar.result().get(), reported, false);
          } else {
            String why = ar.failed() ? ar.cause().getMessage()
                : "no exit status was recorded and the runtime has no such container";
            boolean launching = reported == TaskState.TASK_STAGING || reported == TaskState.TASK_STARTING;
            LOG.warn("Task {}: container {} was not recovered: {}", task.taskId(), containerId, why);
            finish(TaskState.TASK_FAILED, launching ? TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED
                : TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
                "Container " + containerId + " was lost while the agent was down: " + why, true);
          }
          return Future.<Void>succeededFuture();
        });
  }

  /**
   * The container runs (launched now, or re-attached after a restart): supervise it.
   * {@code fresh} is a launch of this agent run: its process started, so the framework hears
   * TASK_RUNNING even when the process ended before the launch returned (a task of {@code true}),
   * as Mesos' executors report RUNNING before any exit; frameworks count on that order.
   */
  private void attached(LaunchedContainer launched, TaskState reported, boolean fresh) {
    container = launched;
    phase = Phase.RUNNING;
    if (container.exit().isDone()) {
      if (fresh && !killRequested) {
        report(TaskState.TASK_RUNNING, null, null);
      }
      // Ended already (while the agent was down, or within the launch): report the end now,
      // before the agent re-registers.
      exited(container.exit().getNow(null), null);
      return;
    }
    container.exit().whenComplete((exit, err) -> context.runOnContext(v -> exited(exit, err)));
    if (killRequested) {
      signal(15);
      scheduleForceKill();
    } else {
      if (reported != TaskState.TASK_RUNNING) {
        report(TaskState.TASK_RUNNING, null, null);
        saveState();
      }
      // After a restart too: the grace period then starts again, as for a fresh task.
      startHealthChecks();
      startDiskQuota();
    }
  }

  /** Every {@link #DISK_CHECK_INTERVAL}, while it runs: a task over its disk is killed. */
  private void startDiskQuota() {
    double diskMb = Resources.of(task.resources()).scalar("disk");
    if (diskMb <= 0) {
      return;
    }
    List<Path> paths = new ArrayList<>(List.of(sandbox));
    paths.addAll(containerizer.writableLayers(containerId));
    DiskQuota quota = new DiskQuota((long) (diskMb * 1024 * 1024), paths);
    diskTimer = vertx.setPeriodic(DISK_CHECK_INTERVAL.toMillis(), t -> {
      if (phase != Phase.RUNNING || killRequested || diskCheckRunning) {
        return;
      }
      diskCheckRunning = true;
      pool.executeBlocking(quota::exceeded, false).onComplete(ar -> {
        diskCheckRunning = false;
        if (ar.failed()) {
          LOG.warn("Task {}: cannot measure its disk: {}", task.taskId(), ar.cause().getMessage());
        } else if (ar.result().isPresent() && phase == Phase.RUNNING && diskLimitMessage == null) {
          diskLimitMessage = ar.result().get();
          LOG.warn("Task {}: {}; killing it", task.taskId(), diskLimitMessage);
          signal(9);
        }
      });
    });
  }

  private void startHealthChecks() {
    if (task.healthCheck() == null) {
      return;
    }
    try {
      health = new HealthChecker(vertx, context, "task " + task.taskId().value(),
          HealthPolicy.of(task.healthCheck()),
          Probes.of(task.healthCheck(), vertx, pool, containerizer, containerId),
          new HealthChecker.Listener() {
            @Override
            public void healthChanged(boolean nowHealthy, String message) {
              TaskRunner.this.healthChanged(nowHealthy, message);
            }

            @Override
            public void failedHealthChecks(String message) {
              TaskRunner.this.failedHealthChecks(message);
            }
          }, System::nanoTime);
    } catch (IllegalArgumentException e) {
      // The master validates checks; one it let through that cannot run is not worth a kill.
      LOG.warn("Task {}: health check ignored: {}", task.taskId(), e.getMessage());
      return;
    }
    health.start();
  }

  private void stopHealthChecks() {
    if (health != null) {
      health.stop();
    }
  }

  /** A change of health: an update in the same state (RUNNING) with {@code healthy} set. */
  private void healthChanged(boolean nowHealthy, String message) {
    if (phase != Phase.RUNNING || killRequested) {
      return;
    }
    healthy = nowHealthy;
    report(state, TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, message);
  }

  private void failedHealthChecks(String message) {
    if (phase != Phase.RUNNING || killRequested) {
      return;
    }
    LOG.warn("Task {}: {}; killing it", task.taskId(), message);
    healthKillMessage = message;
    kill(null);
  }

  private ContainerLaunch launchSpec() {
    String image = task.container() == null ? null : task.container().imageName();
    boolean imageCommand = image != null && TaskCommand.usesImageCommand(task.command());
    Resources res = Resources.of(task.resources());
    return new ContainerLaunch(containerId, sandbox,
        imageCommand ? TaskCommand.imageArguments(task.command()) : TaskCommand.argv(task.command()),
        TaskCommand.environment(task, frameworkId, agentId),
        Math.max(MIN_CPUS, res.scalar("cpus")),
        Math.max(MIN_MEMORY_BYTES, (long) (res.scalar("mem") * 1024 * 1024)),
        hostname(), image, imageCommand, TaskNetwork.request(task)
            .map(r -> networkGroup == null ? r : r.inGroup(networkGroup)).orElse(null))
        // Only the command's own user switches users: the framework's user is the name of
        // whoever runs the framework, which an image need not know.
        .withUser(task.command() == null ? null : task.command().user())
        .withUserNamespace(task.labels() != null && task.labels().labels().stream().anyMatch(
            l -> USER_NAMESPACE_LABEL.equals(l.key()) && "true".equals(l.value())))
        .withVolumes(TaskVolumes.of(task))
        .withForcePull(task.container() != null && task.container().forcePull());
  }

  private TaskCheckpoint checkpoint(TaskState s) {
    return new TaskCheckpoint(frameworkId, frameworkInfo, task, containerId, sandbox.toString(), s);
  }

  /** Checkpoints the current state after the writes before it. */
  private Future<Void> saveState() {
    TaskCheckpoint cp = checkpoint(state);
    lastWrite = lastWrite.transform(ignored -> pool.<Void>executeBlocking(() -> {
      checkpoints.write(cp);
      return null;
    }, false)).onFailure(e -> LOG.error("Cannot checkpoint task {} ({}): {}", task.taskId(),
        cp.state(), e.getMessage()));
    return lastWrite;
  }

  /** Kill: SIGTERM now, SIGKILL after the grace period (the policy's, or 3 s). */
  public void kill(KillPolicy policy) {
    if (phase == Phase.EXITED || killRequested) {
      return;
    }
    killRequested = true;
    killPolicy = policy != null ? policy : task.killPolicy();
    stopHealthChecks(); // a task on its way out is neither healthy nor unhealthy any more
    if (phase == Phase.RUNNING) {
      if (frameworkInfo != null
          && frameworkInfo.hasCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE)) {
        report(TaskState.TASK_KILLING, null, "Killing task");
        saveState();
      }
      signal(15);
      scheduleForceKill();
    } else if (phase == Phase.NEW) {
      finish(TaskState.TASK_KILLED, TaskStatus.Reason.REASON_TASK_KILLED_DURING_LAUNCH,
          "Killed before launch", false);
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
          "Lost track of the container: " + (err == null ? "no exit status" : err.getMessage()), true);
    } else if (diskLimitMessage != null) {
      finish(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LIMITATION_DISK,
          diskLimitMessage, true);
    } else if (killRequested && healthKillMessage != null) {
      finish(TaskState.TASK_KILLED, null, healthKillMessage, true);
    } else if (killRequested) {
      finish(TaskState.TASK_KILLED, null, "Command terminated by signal "
          + (exit.signal() != 0 ? exit.signal() : 15) + " after a kill request", true);
    } else if (exit.memoryLimitExceeded()) {
      finish(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY,
          exit.message(), true);
    } else if (exit.exitCode() == 0) {
      finish(TaskState.TASK_FINISHED, null, exit.message(), true);
    } else {
      finish(TaskState.TASK_FAILED, TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED, exit.message(),
          true);
    }
  }

  /**
   * Ends the task: reports {@code terminal}, and once that update and then the task's checkpoint
   * say so, destroys the container ({@code destroy}: there is, or may be, one to clean up).
   */
  private void finish(TaskState terminal, TaskStatus.Reason reason, String message,
      boolean destroy) {
    phase = Phase.EXITED;
    stopHealthChecks();
    if (diskTimer >= 0) {
      vertx.cancelTimer(diskTimer);
    }
    Future<Void> reported = report(terminal, reason, message);
    // The container (with conmon's exit record) goes only once the end is on disk twice over:
    // a restart in between finds the terminal state and does not report the task lost.
    reported.transform(ignored -> saveState()).onComplete(ignored -> {
      if (destroy) {
        destroyContainer();
      } else {
        cleanedUp = true;
        onDone.run();
      }
    });
  }

  private void destroyContainer() {
    pool.executeBlocking(() -> {
      containerizer.destroy(containerId);
      return null;
    }, false).onComplete(ar -> {
      cleanedUp = true;
      onDone.run();
    });
  }

  private Future<Void> report(TaskState newState, TaskStatus.Reason reason, String message) {
    state = newState;
    TaskStatus status = TaskStatus.of(task.taskId(), newState, TaskStatus.Source.SOURCE_AGENT,
        reason, message, agentId);
    status = new TaskStatus(status.taskId(), status.state(), status.message(), status.source(),
        status.reason(), null, agentId, dev.terrace.common.model.ExecutorId.of(task.taskId().value()),
        status.timestamp(), status.uuid(), healthy, null, null, null);
    status = status.withContainerStatus(new ContainerStatus(ContainerId.of(containerId),
        container == null ? null : container.networkInfos(),
        container == null ? null : container.pid()));
    return statusSink.apply(status);
  }

  /** The container's own hostname: ContainerInfo's, else its id cut to a valid host label. */
  private String hostname() {
    if (task.container() != null && task.container().hostname() != null) {
      return task.container().hostname();
    }
    return containerId.length() > 63 ? containerId.substring(0, 63) : containerId;
  }
}
