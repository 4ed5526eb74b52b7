package dev.terrace.bench.throughput;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Value;
import dev.terrace.master.LocalAgentConnection;
import dev.terrace.master.MasterServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Agents with a fake containerizer, speaking the master's real agent protocol in-process: a
 * launched task goes RUNNING at once and FINISHED as soon as RUNNING is acknowledged, one update
 * in flight per task as the real agent's status update manager does. Their work runs on a thread
 * of their own, so the master's context only does the master's work.
 */
final class SimulatedTaskAgents {
  private final ExecutorService agentThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "simulated-agents");
    t.setDaemon(true);
    return t;
  });
  private final List<LocalAgentConnection> connections = new ArrayList<>();

  void start(MasterServer master, int agents) {
    for (int a = 0; a < agents; a++) {
      AgentId id = AgentId.of("sim-" + a);
      LocalAgentConnection[] conn = new LocalAgentConnection[1];
      conn[0] = master.openLocalAgentConnection(json -> agentThread.execute(() -> onMessage(conn[0], id, json)));
      AgentInfo info = new AgentInfo("sim-" + a + ".example", 5051, List.of(
          Resource.scalar("cpus", 32), Resource.scalar("mem", 131072),
          Resource.ranges("ports", List.of(new Value.Range(31000, 32000)))), null, id);
      conn[0].send(Json.toString(new AgentMessage.Register(info, "sim", null, null)));
      connections.add(conn[0]);
    }
  }

  private void onMessage(LocalAgentConnection conn, AgentId agent, String json) {
    MasterMessage msg = Json.parse(json, MasterMessage.class);
    if (msg instanceof MasterMessage.RunTask run) {
      TaskStatus running = TaskStatus.of(run.task().taskId(), TaskState.TASK_RUNNING,
          TaskStatus.Source.SOURCE_AGENT, null, null, agent);
      conn.send(Json.toString(new AgentMessage.StatusUpdate(run.frameworkId(), running, TaskState.TASK_RUNNING)));
    } else if (msg instanceof MasterMessage.Acknowledge ack && isRunningAck(ack)) {
      TaskStatus finished = TaskStatus.of(ack.taskId(), TaskState.TASK_FINISHED,
          TaskStatus.Source.SOURCE_AGENT, null, "Command exited with status 0", agent);
      conn.send(Json.toString(new AgentMessage.StatusUpdate(ack.frameworkId(), finished, TaskState.TASK_FINISHED)));
    }
  }

  /** Tasks whose FINISHED went out; touched only on the agents' thread. */
  private final java.util.Set<String> finishedKeys = new java.util.HashSet<>();

  private boolean isRunningAck(MasterMessage.Acknowledge ack) {
    // Each task is acked twice: first for RUNNING (send FINISHED), then for FINISHED (done).
    String key = ack.frameworkId().value() + "/" + ack.taskId().value();
    return finishedKeys.add(key);
  }

  void close() {
    connections.forEach(LocalAgentConnection::close);
    agentThread.shutdownNow();
  }
}
