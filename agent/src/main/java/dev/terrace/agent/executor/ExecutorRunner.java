package dev.terrace.agent.executor;

import dev.terrace.agent.checkpoint.ExecutorCheckpoint;
import dev.terrace.agent.checkpoint.ExecutorCheckpoints;
import dev.terrace.agent.containerizer.ContainerExit;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.containerizer.LaunchedContainer;
import dev.terrace.agent.task.TaskCommand;
import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.executor.ExecutorCall;
import dev.terrace.common.executor.ExecutorEvent;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.ContainerId;
import dev.terrace.common.model.Environment;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.KillPolicy;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One custom executor (Mesos' {@code ExecutorInfo} with a command): its own container, started
 * with the framework's first task for it, in its own sandbox, told how to reach the agent through
 * Mesos' environment ({@code MESOS_AGENT_ENDPOINT}, ...). Tasks wait until the executor subscribes
 * on the v1 executor API and are then sent as LAUNCH events; the executor's UPDATEs go through the
 * agent's status update manager like any other (checkpointed, resent until acknowledged), and the
 * acknowledgements come back to it as ACKNOWLEDGED. When the executor's process ends, its tasks
 * that had not ended are TASK_FAILED (REASON_EXECUTOR_TERMINATED) and the master is told, so the
 * framework hears FAILURE and the executor's resources are free. Runs on the agent's context.
 *
 * <p>Recovered across an agent restart, as Mesos recovers a checkpointing executor: the executor,
 * its container and its tasks are checkpointed; a restarted agent re-attaches to the container
 * and waits for the executor to SUBSCRIBE again (executors retry while the agent is away, for
 * {@code MESOS_RECOVERY_TIMEOUT}). One that does not within the re-registration timeout is
 * killed and its tasks fail with REASON_EXECUTOR_REREGISTRATION_TIMEOUT; one whose container
 * ended while the agent was down has its tasks fail with REASON_EXECUTOR_TERMINATED.
 */
public final class ExecutorRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorRunner.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(30);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  private static final double MIN_CPUS = 0.01;
  private static final long MIN_MEMORY_BYTES = 16L * 1024 * 1024;

  /** What the runner needs from the agent around it. */
  public record Env(Vertx vertx, WorkerExecutor pool, Containerizer containerizer,
      Supplier<AgentInfo> agentInfo, ExecutorTokens tokens, String agentEndpoint,
      Function<AgentMessage.StatusUpdate, Future<Void>> statusUpdates, Consumer<AgentMessage> toMaster,
      Runnable onDone, ExecutorCheckpoints checkpoints, Duration reregistrationTimeout) {}

  private enum Phase { LAUNCHING, RUNNING, EXITED }

  private final Env env;
  private final FrameworkId frameworkId;
  private final FrameworkInfo frameworkInfo;
  private final ExecutorInfo executor;
  private final String containerId;
  private final Path sandbox;
  /** Every task given to this executor, with its latest state. */
  private final Map<TaskId, TaskInfo> tasks = new LinkedHashMap<>();
  private final Map<TaskId, TaskState> states = new LinkedHashMap<>();
  /** Tasks not yet sent to the executor (it has not subscribed yet). */
  private final List<TaskId> queued = new ArrayList<>();
  private Phase phase = Phase.LAUNCHING;
  private ExecutorStream stream;
  private boolean shuttingDown;
  /** Checkpoint writes, one after the other (the pool has several threads). */
  private Future<Void> checkpointed = Future.succeededFuture();
  /** After an agent restart, until the executor subscribes again or the timeout; else null. */
  private Promise<Void> resubscription;
  private TaskStatus.Reason exitReason = TaskStatus.Reason.REASON_EXECUTOR_TERMINATED;
  /** Why the agent killed the executor, added to its tasks' messages ("" when it did not). */
  private String killedBecause = "";

  public ExecutorRunner(Env env, FrameworkId frameworkId, FrameworkInfo frameworkInfo, ExecutorInfo executor,
      String containerId, Path sandbox) {
    this.env = env;
    this.frameworkId = frameworkId;
    this.frameworkInfo = frameworkInfo;
    this.executor = executor.frameworkId() == null ? executor.withFrameworkId(frameworkId) : executor;
    this.containerId = containerId;
    this.sandbox = sandbox;
  }

  public ExecutorInfo info() {
    return executor;
  }

  public FrameworkId frameworkId() {
    return frameworkId;
  }

  public boolean isDone() {
    return phase == Phase.EXITED;
  }

  /** The tasks it was given and their latest states (for the agent's re-registration). */
  public Map<TaskInfo, TaskState> taskStates() {
    Map<TaskInfo, TaskState> out = new LinkedHashMap<>();
    tasks.forEach((id, t) -> out.put(t, states.get(id)));
    return out;
  }

  public boolean owns(TaskId task) {
    return tasks.containsKey(task);
  }

  /**
   * Starts the executor's container, sized for the executor and the tasks given so far (later
   * tasks run within that container's limits: resizing a running container is not done yet).
   */
  public void start() {
    ContainerLaunch launch = launchSpec();
    env.pool().<LaunchedContainer>executeBlocking(() -> {
      Files.createDirectories(sandbox);
      return env.containerizer().launch(launch);
    }, false).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("Executor {} of framework {} failed to launch: {}", executor.executorId(), frameworkId,
            ar.cause().getMessage());
        exited(null, "Failed to launch the executor: " + ar.cause().getMessage());
        return;
      }
      phase = Phase.RUNNING;
      LOG.info("Executor {} of framework {} started in container {}", executor.executorId(), frameworkId,
          containerId);
      checkpoint();
      watch(ar.result(), "");
    });
  }

  private void watch(LaunchedContainer container, String when) {
    Future.fromCompletionStage(container.exit(), env.vertx().getOrCreateContext())
        .onComplete(exit -> exited(exit.succeeded() ? exit.result() : null,
            (exit.succeeded() ? exit.result().message() : "Lost track of the executor's container") + when));
  }

  /**
   * Takes the executor back after an agent restart, with the tasks it had been given. Completes
   * once it has subscribed again, or was killed for not doing so in time, or had ended while the
   * agent was down (its tasks then reported failed): so the agent re-registers with the master
   * only when every recovered executor is settled, as Mesos does.
   */
  public Future<Void> recover(List<ExecutorCheckpoint.Task> given) {
    for (ExecutorCheckpoint.Task t : given) {
      tasks.put(t.task().taskId(), t.task());
      states.put(t.task().taskId(), t.state());
    }
    ContainerLaunch launch = launchSpec();
    return env.pool().executeBlocking(() -> env.containerizer().recover(launch), false).transform(ar -> {
      if (ar.failed() || ar.result().isEmpty()) {
        exited(null, "its container was lost while the agent was down"
            + (ar.failed() ? ": " + ar.cause().getMessage() : ""));
        return Future.succeededFuture();
      }
      phase = Phase.RUNNING;
      LaunchedContainer container = ar.result().get();
      boolean endedMeanwhile = container.exit().isDone();
      watch(container, endedMeanwhile ? " (while the agent was down)" : "");
      if (endedMeanwhile) {
        return Future.succeededFuture();
      }
      LOG.info("Executor {} of framework {} recovered in container {}; waiting {} for it to subscribe again",
          executor.executorId(), frameworkId, containerId, env.reregistrationTimeout());
      Promise<Void> p = Promise.promise();
      resubscription = p;
      env.vertx().setTimer(Math.max(1, env.reregistrationTimeout().toMillis()), t -> {
        if (resubscription == p) {
          resubscription = null;
          LOG.warn("Executor {} of framework {} did not subscribe again within {}; killing it",
              executor.executorId(), frameworkId, env.reregistrationTimeout());
          exitReason = TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT;
          kill9(" (it did not subscribe again within " + env.reregistrationTimeout().toSeconds()
              + " s of the agent's restart)");
          p.complete();
        }
      });
      return p.future();
    });
  }

  /** A task for this executor: sent at once if it is subscribed, else when it subscribes. */
  public void launch(TaskInfo task) {
    if (phase == Phase.EXITED || shuttingDown) {
      report(task.taskId(), TaskState.TASK_LOST, TaskStatus.Reason.REASON_EXECUTOR_TERMINATED,
          "Executor " + executor.executorId().value() + " has terminated");
      return;
    }
    tasks.put(task.taskId(), task);
    states.put(task.taskId(), TaskState.TASK_STAGING);
    if (phase == Phase.RUNNING) {
      checkpoint();
    }
    if (stream != null && stream.isOpen()) {
      stream.send(ExecutorEvent.launch(task));
    } else {
      queued.add(task.taskId());
    }
  }

  /** SUBSCRIBE from the executor: a new stream (replacing any earlier one), then queued tasks. */
  public void subscribe(HttpServerResponse response, ExecutorCall.Subscribe subscribe) {
    if (stream != null) {
      stream.close();
    }
    ExecutorStream s = new ExecutorStream(env.vertx(), response, HEARTBEAT, () -> {
      if (stream != null && !stream.isOpen()) {
        LOG.info("Executor {} of framework {} disconnected", executor.executorId(), frameworkId);
      }
    });
    stream = s;
    if (resubscription != null) {
      LOG.info("Executor {} of framework {} subscribed again after the agent's restart",
          executor.executorId(), frameworkId);
      resubscription.tryComplete();
      resubscription = null;
    }
    s.send(ExecutorEvent.subscribed(executor, frameworkInfo, env.agentInfo().get(), ContainerId.of(containerId)));
    List<TaskId> known = subscribe == null ? List.of()
        : subscribe.unacknowledgedTasks().stream().map(TaskInfo::taskId).toList();
    for (TaskId id : List.copyOf(queued)) {
      if (!known.contains(id)) {
        s.send(ExecutorEvent.launch(tasks.get(id)));
      }
    }
    queued.clear();
    if (shuttingDown) {
      s.send(ExecutorEvent.shutdown());
    }
  }

  /** UPDATE from the executor; the reason to refuse it (a 400), or null. */
  public String update(TaskStatus status) {
    if (status == null || status.taskId() == null || !tasks.containsKey(status.taskId())) {
      return "UPDATE for a task this executor was not given";
    }
    if (status.uuid() == null) {
      return "Expecting 'update.status.uuid' to be present";
    }
    if (status.state() == TaskState.TASK_STAGING) {
      return "An executor may not report TASK_STAGING";
    }
    TaskState previous = states.get(status.taskId());
    if (previous != null && previous.isTerminal()) {
      return "Task " + status.taskId().value() + " has already ended";
    }
    states.put(status.taskId(), status.state());
    checkpoint();
    TaskStatus stamped = new TaskStatus(status.taskId(), status.state(), status.message(),
        TaskStatus.Source.SOURCE_EXECUTOR, status.reason(), status.data(), agentId(),
        executor.executorId(), status.timestamp(), status.uuid(), status.healthy(), status.labels(),
        status.containerStatus(), status.unreachableTime());
    env.statusUpdates().apply(new AgentMessage.StatusUpdate(frameworkId, stamped, status.state()));
    return null;
  }

  /** MESSAGE from the executor, for its framework. */
  public void messageFromExecutor(Bytes data) {
    env.toMaster().accept(new AgentMessage.ExecutorMessage(frameworkId, executor.executorId(), data));
  }

  /** MESSAGE from the framework, for the executor (dropped while it is not subscribed, as Mesos). */
  public void messageToExecutor(Bytes data) {
    if (stream != null && stream.isOpen()) {
      stream.send(ExecutorEvent.message(data));
    } else {
      LOG.info("Message for executor {} dropped: it is not subscribed", executor.executorId());
    }
  }

  public void acknowledged(TaskId task, Bytes uuid) {
    if (stream != null && stream.isOpen()) {
      stream.send(ExecutorEvent.acknowledged(task, uuid));
    }
  }

  /** KILL of one of its tasks: the executor is asked; one it has not been given yet ends here. */
  public void kill(TaskId task, KillPolicy policy) {
    if (queued.remove(task)) {
      report(task, TaskState.TASK_KILLED, null, "Killed before the executor took it");
    } else if (stream != null && stream.isOpen()) {
      stream.send(ExecutorEvent.kill(task, policy));
    } else if (states.containsKey(task) && !states.get(task).isTerminal()) {
      // Sent before but the executor is not connected now: it cannot be asked, so the task ends
      // here; an executor that comes back with it is told to kill it when it resubscribes.
      report(task, TaskState.TASK_KILLED, null, "Killed while its executor was not connected");
    }
  }

  /** SHUTDOWN: the executor is asked to stop; after the grace period its container is killed. */
  public void shutdown() {
    if (phase == Phase.EXITED || shuttingDown) {
      return;
    }
    shuttingDown = true;
    if (stream != null && stream.isOpen()) {
      stream.send(ExecutorEvent.shutdown());
    }
    env.vertx().setTimer(SHUTDOWN_GRACE.toMillis(), t -> {
      if (phase != Phase.EXITED) {
        LOG.info("Executor {} did not stop within {}; killing it", executor.executorId(), SHUTDOWN_GRACE);
        kill9("");
      }
    });
  }

  /** SIGKILL to the executor's container; {@code why} is added to its tasks' messages. */
  private void kill9(String why) {
    killedBecause = why;
    env.pool().executeBlocking(() -> {
      env.containerizer().signal(containerId, 9);
      return null;
    }, false);
  }

  /** Writes the executor and its tasks' states, after any write before (on the pool). */
  private void checkpoint() {
    List<ExecutorCheckpoint.Task> given = new ArrayList<>();
    tasks.forEach((id, t) -> given.add(new ExecutorCheckpoint.Task(t, states.get(id))));
    ExecutorCheckpoint cp = new ExecutorCheckpoint(frameworkId, frameworkInfo, executor, containerId,
        sandbox.toString(), given);
    checkpointed = checkpointed.transform(ignored -> env.pool().<Void>executeBlocking(() -> {
      env.checkpoints().write(cp);
      return null;
    }, false)).onFailure(e -> LOG.warn("Cannot checkpoint executor {}: {}", executor.executorId(),
        e.getMessage()));
  }

  private void exited(ContainerExit exit, String message) {
    if (phase == Phase.EXITED) {
      return;
    }
    phase = Phase.EXITED;
    if (stream != null) {
      stream.close();
    }
    if (resubscription != null) {
      resubscription.tryComplete(); // ended before it could subscribe again: nothing to wait for
      resubscription = null;
    }
    for (Map.Entry<TaskId, TaskState> e : List.copyOf(states.entrySet())) {
      if (!e.getValue().isTerminal()) {
        report(e.getKey(), shuttingDown ? TaskState.TASK_KILLED : TaskState.TASK_FAILED,
            exitReason, "Executor terminated: " + message + killedBecause);
      }
    }
    Integer status = exit == null ? null : exit.exitCode();
    env.toMaster().accept(new AgentMessage.ExecutorExited(frameworkId, executor.executorId(), status));
    LOG.info("Executor {} of framework {} exited: {}", executor.executorId(), frameworkId, message);
    // The tasks' ends are in the status updates (checkpointed on their own): the executor's
    // checkpoint goes before its container, so a crash in between leaves an orphan, not a ghost.
    checkpointed.transform(ignored -> env.pool().executeBlocking(() -> {
      env.checkpoints().remove(frameworkId, executor.executorId());
      env.containerizer().destroy(containerId);
      return null;
    }, false)).onComplete(ar -> env.onDone().run());
  }

  /** An update the agent makes for one of the executor's tasks (the executor cannot). */
  private void report(TaskId task, TaskState state, TaskStatus.Reason reason, String message) {
    states.put(task, state);
    if (phase != Phase.EXITED) {
      checkpoint();
    }
    TaskStatus status = TaskStatus.of(task, state, TaskStatus.Source.SOURCE_AGENT, reason, message, agentId());
    status = new TaskStatus(status.taskId(), status.state(), status.message(), status.source(), status.reason(),
        null, agentId(), executor.executorId(), status.timestamp(), status.uuid(), null, null, null, null);
    env.statusUpdates().apply(new AgentMessage.StatusUpdate(frameworkId, status, state));
  }

  private AgentId agentId() {
    return env.agentInfo().get().id();
  }

  private ContainerLaunch launchSpec() {
    Resources res = Resources.of(executor.resources());
    for (TaskInfo t : tasks.values()) {
      res = res.plus(Resources.of(t.resources()));
    }
    Map<String, String> vars = new LinkedHashMap<>(TaskCommand.DEFAULT_ENV);
    Environment given = executor.command().environment();
    if (given != null) {
      for (Environment.Variable v : given.variables()) {
        if (v.name() != null && v.value() != null && v.type() != Environment.Variable.Type.SECRET) {
          vars.put(v.name(), v.value());
        }
      }
    }
    // What a Mesos executor library reads to find and talk to its agent.
    vars.put("MESOS_FRAMEWORK_ID", frameworkId.value());
    vars.put("MESOS_EXECUTOR_ID", executor.executorId().value());
    // Always given, so that an executor works whether or not this agent checks it.
    vars.put(ExecutorTokens.ENV, env.tokens().issue(frameworkId, executor.executorId(), containerId));
    vars.put("MESOS_AGENT_ID", agentId() == null ? "" : agentId().value());
    vars.put("MESOS_AGENT_ENDPOINT", env.agentEndpoint());
    vars.put("MESOS_DIRECTORY", TaskCommand.SANDBOX_IN_CONTAINER);
    vars.put("MESOS_SANDBOX", TaskCommand.SANDBOX_IN_CONTAINER);
    vars.put("MESOS_CHECKPOINT", "1");
    vars.put("MESOS_HTTP_COMMAND_EXECUTOR", "0");
    vars.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", SHUTDOWN_GRACE.toSeconds() + "secs");
    vars.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
    vars.put("MESOS_RECOVERY_TIMEOUT", "15mins");
    String image = executor.container() == null ? null : executor.container().imageName();
    String host = containerId.length() > 63 ? containerId.substring(0, 63) : containerId;
    return new ContainerLaunch(containerId, sandbox, TaskCommand.argv(executor.command()), vars,
        Math.max(MIN_CPUS, res.scalar("cpus")), Math.max(MIN_MEMORY_BYTES, (long) (res.scalar("mem") * 1048576)),
        host, image);
  }

  /** The container this executor runs in; its token names it. */
  public String containerId() {
    return containerId;
  }
}
