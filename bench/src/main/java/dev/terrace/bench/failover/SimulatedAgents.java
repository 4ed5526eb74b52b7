package dev.terrace.bench.failover;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Value;
import dev.terrace.master.LocalAgentConnection;
import dev.terrace.master.MasterServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Many agents that speak the master's real agent protocol (JSON REGISTER messages with their
 * running tasks) over in-process connections, so tens of thousands fit in one JVM. Each message
 * is serialized once up front: what is timed is the master's work, not the simulator's.
 */
public final class SimulatedAgents {
  private final List<String> registrations = new ArrayList<>();

  public SimulatedAgents(int agents, int tasksPerAgent, FrameworkInfo framework) {
    for (int a = 0; a < agents; a++) {
      AgentId id = AgentId.of("sim-agent-" + a);
      AgentInfo info = new AgentInfo("sim-" + a + ".example", 5051, List.of(
          Resource.scalar("cpus", 32), Resource.scalar("mem", 131072), Resource.scalar("disk", 1_000_000),
          Resource.ranges("ports", List.of(new Value.Range(31000, 32000)))), null, id);
      List<AgentMessage.Task> tasks = new ArrayList<>(tasksPerAgent);
      for (int t = 0; t < tasksPerAgent; t++) {
        TaskId task = TaskId.of("task-" + a + "-" + t);
        TaskInfo ti = TaskInfo.command(task.value(), task, id, List.of(
            Resource.scalar("cpus", 0.5).withAllocationRole("*"),
            Resource.scalar("mem", 512).withAllocationRole("*")), CommandInfo.shell("sleep 1000"));
        TaskStatus running = new TaskStatus(task, TaskState.TASK_RUNNING, null,
            TaskStatus.Source.SOURCE_AGENT, null, null, id, null, 1.0e9, null, null, null, null, null);
        tasks.add(new AgentMessage.Task(framework.id(), ti, running));
      }
      registrations.add(Json.toString(new AgentMessage.Register(info, "sim", tasks, List.of(framework))));
    }
  }

  public int size() {
    return registrations.size();
  }

  /**
   * Registers every agent with {@code master} and waits until each got its REGISTERED reply.
   *
   * @return the connections, open
   */
  public List<LocalAgentConnection> registerAll(MasterServer master, long timeoutSeconds) throws InterruptedException {
    CountDownLatch registered = new CountDownLatch(registrations.size());
    List<LocalAgentConnection> connections = new ArrayList<>(registrations.size());
    for (String reg : registrations) {
      boolean[] done = new boolean[1];
      LocalAgentConnection c = master.openLocalAgentConnection(msg -> {
        if (!done[0] && msg.startsWith("{\"type\":\"REGISTERED\"")) {
          done[0] = true;
          registered.countDown();
        }
      });
      c.send(reg);
      connections.add(c);
    }
    if (!registered.await(timeoutSeconds, TimeUnit.SECONDS)) {
      throw new IllegalStateException(registered.getCount() + " agents did not register in time");
    }
    return connections;
  }
}
