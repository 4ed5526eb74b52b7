package dev.terrace.agent;

import dev.terrace.agent.channel.MasterConnection;
import dev.terrace.agent.checkpoint.ExecutorCheckpoint;
import dev.terrace.agent.checkpoint.ExecutorCheckpoints;
import dev.terrace.agent.checkpoint.TaskCheckpoint;
import dev.terrace.agent.checkpoint.TaskCheckpoints;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.fetcher.UriFetcher;
import dev.terrace.agent.executor.ExecutorRunner;
import dev.terrace.agent.executor.ExecutorTokens;
import dev.terrace.agent.sandbox.SandboxLayout;
import dev.terrace.agent.status.StatusUpdateManager;
import dev.terrace.agent.task.TaskRunner;
import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's state and reactions, owned by one Vert.x context: the tasks it runs, the frameworks
 * they belong to, and what the master tells it. Task processes live in containers; their status
 * updates go through the {@link StatusUpdateManager} so none is lost.
 */
public final class Agent {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final Vertx vertx;
  private AgentInfo baseInfo;
  private final SandboxLayout layout;
  private final ExecutorTokens executorTokens;
  private final Containerizer containerizer;
  private final WorkerExecutor pool;
  private final TaskCheckpoints checkpoints;
  private final ExecutorCheckpoints executorCheckpoints;
  /**
   * How long a recovered executor has to subscribe again (Mesos' executor_reregistration_timeout,
   * 2 s there). Longer here: executors are often JVMs held to a small CPU quota by their
   * container, and a throttled one on a busy host was measured needing more than 5 s to open a
   * new connection after the subscription backoff it is given ({@code
   * MESOS_SUBSCRIPTION_BACKOFF_MAX}, 2 s).
   */
  static final Duration EXECUTOR_REREGISTRATION_TIMEOUT = Duration.ofSeconds(10);
  private final UriFetcher fetcher;
  private final Map<TaskKey, TaskRunner> tasks = new LinkedHashMap<>();
  private final Map<FrameworkId, FrameworkInfo> frameworks = new LinkedHashMap<>();
  /** Custom executors, by framework and executor id. */
  private final Map<ExecutorKey, ExecutorRunner> executors = new LinkedHashMap<>();
  private StatusUpdateManager updates;
  private dev.terrace.agent.sandbox.SandboxGc sandboxGc;
  private MasterConnection connection;
  private AgentId agentId;

  record TaskKey(FrameworkId framework, TaskId task) {}

  record ExecutorKey(FrameworkId framework, ExecutorId executor) {}

  public Agent(Vertx vertx, AgentInfo baseInfo, SandboxLayout layout, Containerizer containerizer,
      WorkerExecutor pool, AgentId recoveredId, ExecutorTokens executorTokens) {
    this.executorTokens = executorTokens;
    this.vertx = vertx;
    this.baseInfo = baseInfo;
    this.layout = layout;
    this.containerizer = containerizer;
    this.pool = pool;
    this.agentId = recoveredId;
    this.checkpoints = new TaskCheckpoints(layout.tasksDir());
    this.executorCheckpoints = new ExecutorCheckpoints(layout.executorsDir());
    this.fetcher = new UriFetcher(layout.fetchCacheDir());
  }

  void attach(MasterConnection connection) {
    this.connection = connection;
  }

  void useStatusUpdates(StatusUpdateManager updates) {
    this.updates = updates;
  }

  void useSandboxGc(dev.terrace.agent.sandbox.SandboxGc sandboxGc) {
    this.sandboxGc = sandboxGc;
  }

  /**
   * Takes back the tasks of an earlier run from their checkpoints (read before start, with the
   * status updates already restored): destroys containers no checkpoint names, then re-attaches
   * each task to its container. Completes when every task is in its phase again, so the REGISTER
   * that follows lists them as they are. Call on the agent context before connecting.
   */
  Future<Void> recover(List<TaskCheckpoint> recovered) {
    return pool.executeBlocking(executorCheckpoints::readAll, false).transform(read -> {
      List<ExecutorCheckpoint> executorsBack = read.succeeded() ? read.result() : List.of();
      if (read.failed()) {
        LOG.error("Cannot read the executor checkpoints: {}", read.cause().getMessage());
      }
      Set<String> known = recovered.stream().map(TaskCheckpoint::containerId).collect(Collectors.toSet());
      executorsBack.forEach(cp -> known.add(cp.containerId()));
      return pool.executeBlocking(() -> containerizer.destroyOrphans(known), false)
          .onSuccess(orphans -> {
            if (!orphans.isEmpty()) {
              LOG.warn("Destroyed {} orphan container(s): {}", orphans.size(), orphans);
            }
          })
          .transform(ignored -> {
            List<Future<Void>> each = new ArrayList<>();
            for (TaskCheckpoint cp : recovered) {
              each.add(recoverTask(cp));
            }
            // Settled when each executor has subscribed again, or was given up on.
            for (ExecutorCheckpoint cp : executorsBack) {
              each.add(recoverExecutor(cp));
            }
            return Future.join(each).<Void>mapEmpty();
          })
          .onComplete(ar -> LOG.info("Recovered {} task(s) and {} executor(s) from checkpoints",
              recovered.size(), executorsBack.size()));
    });
  }

  private Future<Void> recoverExecutor(ExecutorCheckpoint cp) {
    ExecutorKey key = new ExecutorKey(cp.frameworkId(), cp.executor().executorId());
    frameworks.putIfAbsent(cp.frameworkId(), cp.frameworkInfo() != null
        ? cp.frameworkInfo().withId(cp.frameworkId()) : FrameworkInfo.of("", "").withId(cp.frameworkId()));
    ExecutorRunner runner = newExecutorRunner(key, frameworks.get(cp.frameworkId()), cp.executor(),
        cp.containerId(), Path.of(cp.sandbox()));
    executors.put(key, runner);
    LOG.info("Recovering executor {} of framework {} in container {} with {} task(s)", key.executor(),
        key.framework(), cp.containerId(), cp.tasks().size());
    return runner.recover(cp.tasks());
  }

  private Future<Void> recoverTask(TaskCheckpoint cp) {
    TaskKey key = new TaskKey(cp.frameworkId(), cp.task().taskId());
    if (tasks.containsKey(key)) {
      return Future.succeededFuture();
    }
    frameworks.putIfAbsent(cp.frameworkId(), cp.frameworkInfo() != null
        ? cp.frameworkInfo().withId(cp.frameworkId()) : FrameworkInfo.of("", "").withId(cp.frameworkId()));
    // The checkpoint may lag the status updates (both are written, in that order, per change):
    // the newest state either one knows was reported, and must not be reported again.
    TaskState reported = newer(cp.state(), updates.latestPending(cp.frameworkId(), cp.task().taskId()));
    TaskRunner runner = newRunner(cp.frameworkId(), cp.frameworkInfo(), cp.task(),
        java.nio.file.Path.of(cp.sandbox()), cp.containerId());
    tasks.put(key, runner);
    LOG.info("Recovering task {} of framework {} in container {} (last reported {})",
        key.task(), key.framework(), cp.containerId(), reported);
    return runner.recover(reported);
  }

  /** Of two states of one task, the later in its life (terminal, killing, running, starting). */
  static TaskState newer(TaskState a, TaskState b) {
    if (b == null) {
      return a;
    }
    return rank(b) > rank(a) ? b : a;
  }

  private static int rank(TaskState s) {
    if (s.isTerminal()) {
      return 4;
    }
    return switch (s) {
      case TASK_KILLING -> 3;
      case TASK_RUNNING -> 2;
      case TASK_STARTING -> 1;
      default -> 0;
    };
  }

  /** Sets the advertised port once the HTTP server has bound an ephemeral one. */
  void setPort(int port) {
    baseInfo = new AgentInfo(baseInfo.hostname(), port, baseInfo.resources(), baseInfo.attributes(), null);
  }

  public AgentId agentId() {
    return agentId;
  }

  public AgentInfo info() {
    return baseInfo.withId(agentId);
  }

  public Collection<TaskRunner> tasks() {
    return tasks.values();
  }

  public Map<FrameworkId, FrameworkInfo> frameworks() {
    return frameworks;
  }

  public boolean connected() {
    return connection != null && connection.isConnected() && agentId != null;
  }

  /** What REGISTER says: who we are and, when coming back, what still runs here. */
  AgentMessage.Register registration() {
    List<AgentMessage.Task> known = new ArrayList<>();
    for (TaskRunner t : tasks.values()) {
      TaskStatus latest = TaskStatus.of(t.task().taskId(), t.state(), TaskStatus.Source.SOURCE_AGENT,
          null, null, agentId).withoutUuid();
      known.add(new AgentMessage.Task(t.frameworkId(), t.task(), latest));
    }
    List<ExecutorInfo> running = new ArrayList<>();
    for (ExecutorRunner e : executors.values()) {
      running.add(e.info());
      e.taskStates().forEach((task, state) -> known.add(new AgentMessage.Task(e.frameworkId(), task,
          TaskStatus.of(task.taskId(), state, TaskStatus.Source.SOURCE_AGENT, null, null, agentId).withoutUuid())));
    }
    return new AgentMessage.Register(baseInfo.withId(agentId), AgentServer.VERSION, known,
        List.copyOf(frameworks.values()), running);
  }

  void onMessage(MasterMessage message) {
    if (message instanceof MasterMessage.Registered r) {
      registered(r);
    } else if (message instanceof MasterMessage.RunTask run) {
      runTask(run);
    } else if (message instanceof MasterMessage.KillTask kill) {
      TaskRunner t = tasks.get(new TaskKey(kill.frameworkId(), kill.taskId()));
      ExecutorRunner e = executorOf(kill.frameworkId(), kill.taskId());
      if (t != null) {
        t.kill(kill.killPolicy());
      } else if (e != null) {
        e.kill(kill.taskId(), kill.killPolicy());
      } else {
        LOG.info("Kill for unknown task {} of framework {}", kill.taskId(), kill.frameworkId());
      }
    } else if (message instanceof MasterMessage.Acknowledge ack) {
      updates.acknowledge(ack.frameworkId(), ack.taskId(), ack.uuid());
      taskDone(new TaskKey(ack.frameworkId(), ack.taskId()));
      ExecutorRunner e = executorOf(ack.frameworkId(), ack.taskId());
      if (e != null) {
        e.acknowledged(ack.taskId(), ack.uuid());
      }
    } else if (message instanceof MasterMessage.FrameworkMessage m) {
      ExecutorRunner e = executors.get(new ExecutorKey(m.frameworkId(), m.executorId()));
      if (e != null) {
        e.messageToExecutor(m.data());
      }
    } else if (message instanceof MasterMessage.ShutdownExecutor s) {
      ExecutorRunner e = executors.get(new ExecutorKey(s.frameworkId(), s.executorId()));
      if (e != null) {
        e.shutdown();
      }
    } else if (message instanceof MasterMessage.ShutdownFramework s) {
      shutdownFramework(s.frameworkId());
    } else if (message instanceof MasterMessage.Refused refused) {
      LOG.warn("Master refused this agent: {}", refused.message());
    }
  }

  private void registered(MasterMessage.Registered r) {
    if (agentId == null || !agentId.equals(r.agentId())) {
      agentId = r.agentId();
      AgentId id = agentId;
      Path file = layout.agentIdFile();
      pool.executeBlocking(() -> {
        Files.createDirectories(file.getParent());
        Files.writeString(file, id.value(), StandardCharsets.UTF_8);
        return null;
      }, false).onFailure(e -> LOG.error("Cannot checkpoint agent id: {}", e.getMessage()));
    }
    LOG.info("Registered with master {} as agent {}", r.masterInfo().id(), agentId);
    updates.flush();
  }

  private void runTask(MasterMessage.RunTask run) {
    TaskKey key = new TaskKey(run.frameworkId(), run.task().taskId());
    if (tasks.containsKey(key)) {
      LOG.warn("Task {} of framework {} is already here; ignoring a second launch", key.task(), key.framework());
      return;
    }
    frameworks.put(run.frameworkId(), run.frameworkInfo() != null
        ? run.frameworkInfo().withId(run.frameworkId())
        : frameworks.getOrDefault(run.frameworkId(), FrameworkInfo.of("", "").withId(run.frameworkId())));
    if (run.task().executor() != null) {
      runOnExecutor(run);
      return;
    }
    String containerId = TaskRunner.newContainerId();
    Path sandbox = layout.sandbox(agentId, run.frameworkId(), run.task().taskId(), containerId);
    TaskRunner runner = newRunner(run.frameworkId(), run.frameworkInfo(), run.task(), sandbox,
        containerId).inGroup(run.group());
    tasks.put(key, runner);
    linkLatest(sandbox);
    LOG.info("Running task {} of framework {} in container {}", key.task(), key.framework(), containerId);
    runner.start();
  }

  /** A task for a custom executor: to the running one, or to one started for it. */
  private void runOnExecutor(MasterMessage.RunTask run) {
    ExecutorKey key = new ExecutorKey(run.frameworkId(), run.task().executor().executorId());
    ExecutorRunner runner = executors.get(key);
    if (runner != null && !runner.isDone()) {
      LOG.info("Task {} of framework {} goes to its running executor {}", run.task().taskId(),
          run.frameworkId(), key.executor());
      runner.launch(run.task());
      return;
    }
    String containerId = TaskRunner.newContainerId();
    Path sandbox = layout.sandbox(agentId, run.frameworkId(), TaskId.of(key.executor().value()), containerId);
    ExecutorRunner fresh = newExecutorRunner(key, frameworks.get(run.frameworkId()), run.task().executor(),
        containerId, sandbox);
    executors.put(key, fresh);
    linkLatest(sandbox);
    LOG.info("Starting executor {} of framework {} in container {} for task {}", key.executor(),
        run.frameworkId(), containerId, run.task().taskId());
    fresh.launch(run.task());
    fresh.start();
  }

  private ExecutorRunner newExecutorRunner(ExecutorKey key, FrameworkInfo fwInfo, ExecutorInfo info,
      String containerId, Path sandbox) {
    return new ExecutorRunner(new ExecutorRunner.Env(vertx, pool, containerizer, this::info,
        executorTokens,
        baseInfo.hostname() + ":" + baseInfo.port(),
        u -> frameworks.containsKey(u.frameworkId()) ? updates.update(u) : Future.succeededFuture(),
        m -> {
          if (connected()) {
            connection.send(m);
          }
        },
        () -> executors.remove(key), executorCheckpoints, EXECUTOR_REREGISTRATION_TIMEOUT),
        key.framework(), fwInfo, info, containerId, sandbox);
  }

  /** The custom executor running {@code task}, or null. */
  private ExecutorRunner executorOf(FrameworkId fw, TaskId task) {
    for (ExecutorRunner e : executors.values()) {
      if (e.frameworkId().equals(fw) && e.owns(task)) {
        return e;
      }
    }
    return null;
  }

  /** Containers running now: tasks that have not ended, and custom executors. */
  public int runningContainers() {
    int n = (int) tasks.values().stream().filter(t -> !t.state().isTerminal()).count();
    return n + (int) executors.values().stream().filter(e -> !e.isDone()).count();
  }

  /** The custom executor {@code id} of {@code fw} on this agent, or null (for the executor API). */
  public ExecutorRunner executor(FrameworkId fw, ExecutorId id) {
    return executors.get(new ExecutorKey(fw, id));
  }

  private TaskRunner newRunner(FrameworkId fw, FrameworkInfo fwInfo, TaskInfo task, Path sandbox,
      String containerId) {
    TaskKey key = new TaskKey(fw, task.taskId());
    return new TaskRunner(vertx, pool, containerizer, agentId, checkpoints, fetcher, fw, fwInfo, task,
        sandbox, containerId,
        status -> {
          // A framework that was shut down hears nothing more; its updates would never be acked.
          if (frameworks.containsKey(fw)) {
            return updates.update(new AgentMessage.StatusUpdate(fw, status, status.state()));
          }
          return Future.succeededFuture();
        },
        () -> taskDone(key));
  }

  /** Keeps {@code runs/latest} pointing at the newest run, as Mesos' files API paths expect. */
  private void linkLatest(Path sandbox) {
    pool.executeBlocking(() -> {
      Files.createDirectories(sandbox);
      Path latest = sandbox.getParent().resolve("latest");
      Files.deleteIfExists(latest);
      Files.createSymbolicLink(latest, sandbox.getFileName());
      return null;
    }, false).onFailure(e -> LOG.warn("Cannot link latest run: {}", e.getMessage()));
  }

  private void taskDone(TaskKey key) {
    TaskRunner t = tasks.get(key);
    // A finished task stays listed until all its updates are acknowledged, so that a
    // re-registration still reports it and the master never takes it for lost.
    if (t != null && t.state().isTerminal() && t.isCleanedUp()
        && (!updates.hasPending(key.framework(), key.task()) || !frameworks.containsKey(key.framework()))) {
      tasks.remove(key);
      // Last: the task is over, its container gone and every update acknowledged.
      pool.executeBlocking(() -> {
        if (sandboxGc != null) {
          sandboxGc.schedule(t.sandbox()); // before the checkpoint goes: never unscheduled
        }
        checkpoints.remove(key.framework(), key.task());
        return null;
      }, false).onFailure(e -> LOG.warn("Cannot remove the checkpoint of task {}: {}", key.task(),
          e.getMessage()));
      completed.add(t);
      while (completed.size() > 100) {
        completed.remove(0);
      }
    }
  }

  private final List<TaskRunner> completed = new ArrayList<>();

  public List<TaskRunner> completedTasks() {
    return completed;
  }

  private void shutdownFramework(FrameworkId fw) {
    LOG.info("Shutting down framework {}", fw);
    for (TaskRunner t : List.copyOf(tasks.values())) {
      if (t.frameworkId().equals(fw)) {
        t.kill(null);
      }
    }
    executors.values().stream().filter(e -> e.frameworkId().equals(fw)).forEach(ExecutorRunner::shutdown);
    updates.discard(fw::equals);
    frameworks.remove(fw);
  }

  /** Kills every task and waits for the containers to be destroyed (agent shutdown). */
  void killAll() {
    for (TaskRunner t : tasks.values()) {
      if (!t.state().isTerminal()) {
        t.kill(new dev.terrace.common.model.KillPolicy(
            dev.terrace.common.model.DurationInfo.of(java.time.Duration.ofMillis(500))));
      }
    }
    List.copyOf(executors.values()).forEach(ExecutorRunner::shutdown);
  }

  /** True when every task has ended and its container is gone (updates may still be unacked). */
  boolean allCleanedUp() {
    return executors.isEmpty()
        && tasks.values().stream().allMatch(t -> t.state().isTerminal() && t.isCleanedUp());
  }

  /** Reads the task checkpoints of an earlier run (blocking; call before the agent starts). */
  static List<TaskCheckpoint> readTaskCheckpoints(SandboxLayout layout) throws IOException {
    return new TaskCheckpoints(layout.tasksDir()).readAll();
  }

  static AgentId readAgentId(SandboxLayout layout) throws IOException {
    Path f = layout.agentIdFile();
    if (!Files.exists(f)) {
      return null;
    }
    String s = Files.readString(f, StandardCharsets.UTF_8).trim();
    return s.isEmpty() ? null : AgentId.of(s);
  }
}
