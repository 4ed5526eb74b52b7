package dev.terrace.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.network.NetworkRequest;
import dev.terrace.agent.network.PortMapping;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.NetworkInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskNetworkTest {
  private static TaskInfo task(ContainerInfo container) {
    return TaskInfo.command("t", TaskId.of("t1"), AgentId.of("a"), List.of(
        Resource.scalar("cpus", 0.1), Resource.scalar("mem", 32),
        Resource.ranges("ports", List.of(new Value.Range(31005, 31006), new Value.Range(31000, 31000)))),
        CommandInfo.shell("true")).withContainer(container);
  }

  @Test
  void portsOfTheTaskAreInPortNAndPortsInAscendingOrder() {
    assertThat(TaskNetwork.portEnvironment(task(null)))
        .containsEntry("PORT0", "31000").containsEntry("PORT1", "31005")
        .containsEntry("PORT2", "31006").containsEntry("PORTS", "31000,31005,31006");
    assertThat(TaskCommand.environment(task(null), dev.terrace.common.model.FrameworkId.of("f"),
        AgentId.of("a"))).containsEntry("PORT0", "31000");
  }

  @Test
  void aNamedNetworkIsABridgeRequestAndNoneIsHostMode() {
    ContainerInfo bridge = new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null, null,
        List.of(new NetworkInfo(null, "terrace", null, null,
            List.of(new NetworkInfo.PortMapping(31000, 8080, null)))));
    assertThat(TaskNetwork.request(task(bridge))).contains(
        new NetworkRequest("terrace", List.of(new PortMapping(31000, 8080, "tcp"))));
    assertThat(TaskNetwork.invalid(task(bridge))).isEmpty();
    assertThat(TaskNetwork.request(task(null))).isEmpty();
    ContainerInfo unnamed = new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null, null,
        List.of(new NetworkInfo(null, null, null, null, null)));
    assertThat(TaskNetwork.request(task(unnamed))).isEmpty();
  }
}
