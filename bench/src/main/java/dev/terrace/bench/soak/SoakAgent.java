package dev.terrace.bench.soak;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.LocalAgentConnection;
import dev.terrace.master.MasterServer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated agent with a checkpoint: its tasks (running ones and ended ones whose last update
 * is unacknowledged) outlive a crash, as a real agent's checkpointed executors do, and are
 * reported when it registers again. Updates go out one at a time per task and are resent until
 * acknowledged, like the agent's status update manager. Every method runs on the simulator's one
 * thread ({@link SoakAgents}), so nothing here is locked.
 */
final class SoakAgent {
  private static final long RESEND_NANOS = 5_000_000_000L;

  private final SoakAgents sim;
  private final AgentInfo info;
  private final Resources total;
  private final Map<TaskId, Task> tasks = new LinkedHashMap<>();
  private final Map<FrameworkId, FrameworkInfo> frameworks = new HashMap<>();
  private LocalAgentConnection connection;
  private MasterServer master;
  private boolean registered;
  private boolean down;
  /** Bumped whenever the connection is dropped: messages of an older connection are ignored. */
  private int epoch;

  private static final class Task {
    final FrameworkId framework;
    final TaskInfo info;
    final ArrayDeque<TaskStatus> unacknowledged = new ArrayDeque<>();
    TaskStatus latest;
    boolean ended;
    long sentAt;

    Task(FrameworkId framework, TaskInfo info) {
      this.framework = framework;
      this.info = info;
    }
  }

  SoakAgent(SoakAgents sim, AgentInfo info) {
    this.sim = sim;
    this.info = info;
    this.total = Resources.of(info.resources());
  }

  AgentId id() {
    return info.id();
  }

  boolean isDown() {
    return down;
  }

  /** Updates not yet acknowledged (the drain waits for none). */
  int unacknowledged() {
    int n = 0;
    for (Task t : tasks.values()) {
      n += t.unacknowledged.size();
    }
    return n;
  }

  void connect() {
    if (down || connection != null) {
      return;
    }
    MasterServer leader = sim.leader();
    if (leader == null) {
      sim.later(this::connect, 500);
      return;
    }
    int mine = ++epoch;
    master = leader;
    registered = false;
    try {
      connection = leader.openLocalAgentConnection(json -> sim.onAgentThread(() -> onMessage(mine, json)));
      connection.send(Json.toString(registration()));
    } catch (RuntimeException e) {
      // The master went away under us (its Vert.x is closed): as a refused connection.
      connection = null;
      sim.later(this::connect, 500);
    }
  }

  private AgentMessage.Register registration() {
    List<AgentMessage.Task> reported = new ArrayList<>(tasks.size());
    List<FrameworkInfo> fws = new ArrayList<>();
    for (Task t : tasks.values()) {
      reported.add(new AgentMessage.Task(t.framework, t.info, t.latest));
    }
    for (FrameworkId id : tasks.values().stream().map(t -> t.framework).distinct().toList()) {
      fws.add(frameworks.get(id));
    }
    return new AgentMessage.Register(info, "soak", reported, fws);
  }

  /** The master this agent talks to was killed: the socket would close now. */
  void masterGone(MasterServer killed) {
    if (master == killed && connection != null) {
      dropConnection();
      sim.later(this::connect, sim.randomMillis(100, 2000));
    }
  }

  /** Crashes: the connection drops without a word; tasks keep running, checkpointed. */
  void crash() {
    if (down) {
      return;
    }
    down = true;
    if (connection != null) {
      LocalAgentConnection c = connection;
      dropConnection();
      c.close();
    }
  }

  void restart() {
    down = false;
    connect();
  }

  private void dropConnection() {
    epoch++;
    connection = null;
    master = null;
    registered = false;
  }

  private void onMessage(int from, String json) {
    if (from != epoch) {
      return;
    }
    MasterMessage msg = Json.parse(json, MasterMessage.class);
    if (msg instanceof MasterMessage.Registered) {
      registered = true;
      tasks.values().forEach(this::sendHead);
    } else if (msg instanceof MasterMessage.RunTask run) {
      run(run);
    } else if (msg instanceof MasterMessage.Acknowledge ack) {
      acknowledged(ack);
    } else if (msg instanceof MasterMessage.KillTask kill) {
      Task t = tasks.get(kill.taskId());
      if (t != null) {
        end(t, TaskState.TASK_KILLED, "Killed by the framework");
      }
    } else if (msg instanceof MasterMessage.ShutdownFramework shutdown) {
      List.copyOf(tasks.values()).stream().filter(t -> t.framework.equals(shutdown.frameworkId()))
          .forEach(t -> end(t, TaskState.TASK_KILLED, "Framework shut down"));
    } else if (msg instanceof MasterMessage.Refused) {
      dropConnection();
      sim.later(this::connect, sim.randomMillis(200, 1000));
    }
  }

  private void run(MasterMessage.RunTask run) {
    TaskInfo task = run.task();
    if (!sim.ledger().agentReceived(task.taskId(), info.id().value()) || tasks.containsKey(task.taskId())) {
      return;
    }
    // Scalars compared, not Resources#contains: the tasks' resources carry allocation info, the
    // agent's total does not.
    double cpus = scalar(task, "cpus");
    double mem = scalar(task, "mem");
    for (Task t : tasks.values()) {
      if (!t.ended) {
        cpus += scalar(t.info, "cpus");
        mem += scalar(t.info, "mem");
      }
    }
    if (cpus > total.scalar("cpus") + 1e-9 || mem > total.scalar("mem") + 1e-9) {
      sim.ledger().agentOvercommitted(info.id().value(), String.format(java.util.Locale.ROOT,
          "%s makes cpus %.1f, mem %.0f", task.taskId().value(), cpus, mem));
    }
    frameworks.put(run.frameworkId(), run.frameworkInfo());
    Task t = new Task(run.frameworkId(), task);
    tasks.put(task.taskId(), t);
    enqueue(t, TaskStatus.of(task.taskId(), TaskState.TASK_RUNNING, TaskStatus.Source.SOURCE_EXECUTOR,
        null, null, info.id()));
    sim.later(() -> end(t, TaskState.TASK_FINISHED, "Command exited with status 0"), sim.taskMillis());
  }

  private static double scalar(TaskInfo task, String name) {
    return Resources.of(task.resources()).scalar(name);
  }

  private void end(Task t, TaskState state, String message) {
    if (t.ended) {
      return;
    }
    t.ended = true;
    enqueue(t, TaskStatus.of(t.info.taskId(), state, TaskStatus.Source.SOURCE_EXECUTOR, null, message,
        info.id()));
  }

  private void enqueue(Task t, TaskStatus status) {
    t.latest = status;
    t.unacknowledged.add(status);
    if (t.unacknowledged.size() == 1) {
      sendHead(t);
    }
  }

  private void sendHead(Task t) {
    TaskStatus head = t.unacknowledged.peek();
    if (head == null || !registered || connection == null) {
      return;
    }
    t.sentAt = System.nanoTime();
    try {
      connection.send(Json.toString(new AgentMessage.StatusUpdate(t.framework, head, t.latest.state())));
    } catch (RuntimeException e) {
      // The master is going away; the update stays queued for the next one.
    }
  }

  private void acknowledged(MasterMessage.Acknowledge ack) {
    Task t = tasks.get(ack.taskId());
    if (t == null) {
      return;
    }
    TaskStatus head = t.unacknowledged.peek();
    if (head == null || !head.uuid().equals(ack.uuid())) {
      return;
    }
    t.unacknowledged.poll();
    if (!t.unacknowledged.isEmpty()) {
      sendHead(t);
    } else if (t.ended) {
      tasks.remove(ack.taskId());
    }
  }

  /** Resends updates left unacknowledged for a while (the first copy may have died with a master). */
  void resendStale() {
    long now = System.nanoTime();
    for (Task t : tasks.values()) {
      if (!t.unacknowledged.isEmpty() && now - t.sentAt > RESEND_NANOS) {
        sendHead(t);
      }
    }
  }
}
