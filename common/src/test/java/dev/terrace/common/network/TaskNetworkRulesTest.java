package dev.terrace.common.network;

import static org.assertj.core.api.Assertions.assertThat;

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

class TaskNetworkRulesTest {

  private static TaskInfo task(List<Value.Range> ports, ContainerInfo container) {
    List<Resource> res = new java.util.ArrayList<>(List.of(Resource.scalar("cpus", 0.1),
        Resource.scalar("mem", 32)));
    if (!ports.isEmpty()) {
      res.add(Resource.ranges("ports", ports));
    }
    return TaskInfo.command("t", TaskId.of("t1"), AgentId.of("a"), res, CommandInfo.shell("true"))
        .withContainer(container);
  }

  private static ContainerInfo on(String network, NetworkInfo.PortMapping... mappings) {
    return new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null, null,
        List.of(new NetworkInfo(null, network, null, null, List.of(mappings))));
  }

  private static NetworkInfo.PortMapping map(long host, long container) {
    return new NetworkInfo.PortMapping(host, container, "tcp");
  }

  @Test
  void mappingsOfHostPortsTheTaskWasGivenAreValid() {
    assertThat(TaskNetworkRules.invalid(task(List.of(new Value.Range(31000, 31001)),
        on("terrace", map(31000, 80), map(31001, 443))))).isEmpty();
    assertThat(TaskNetworkRules.invalid(task(List.of(), null))).isEmpty();
    assertThat(TaskNetworkRules.invalid(task(List.of(), on("terrace")))).isEmpty();
  }

  @Test
  void aHostPortOutsideTheTasksPortsIsRefusedWithTheReason() {
    assertThat(TaskNetworkRules.invalid(task(List.of(new Value.Range(31000, 31000)),
        on("terrace", map(31005, 80)))))
        .hasValueSatisfying(m -> assertThat(m).contains("31005").contains("'ports' resource")
            .contains("31000"));
    assertThat(TaskNetworkRules.invalid(task(List.of(), on("terrace", map(8080, 80)))))
        .hasValueSatisfying(m -> assertThat(m).contains("it has none"));
  }

  @Test
  void duplicateHostPortsBadPortsProtocolsAndMappingsWithoutNetworkAreRefused() {
    List<Value.Range> ports = List.of(new Value.Range(31000, 31010));
    assertThat(TaskNetworkRules.invalid(task(ports, on("terrace", map(31000, 80), map(31000, 81)))))
        .hasValueSatisfying(m -> assertThat(m).contains("twice"));
    assertThat(TaskNetworkRules.invalid(task(ports, on("terrace", map(31000, 0)))))
        .hasValueSatisfying(m -> assertThat(m).contains("1-65535"));
    assertThat(TaskNetworkRules.invalid(task(ports, on("terrace",
        new NetworkInfo.PortMapping(31000, 80, "sctp")))))
        .hasValueSatisfying(m -> assertThat(m).contains("sctp"));
    assertThat(TaskNetworkRules.invalid(task(ports, on(null, map(31000, 80)))))
        .hasValueSatisfying(m -> assertThat(m).contains("no network"));
    ContainerInfo two = new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null, null,
        List.of(new NetworkInfo(null, "a", null, null, null), new NetworkInfo(null, "b", null, null, null)));
    assertThat(TaskNetworkRules.invalid(task(ports, two)))
        .hasValueSatisfying(m -> assertThat(m).contains("one per container"));
  }

  @Test
  void dockerBridgeModeIsTheDefaultNetworkAndItsMappingsCount() {
    ContainerInfo docker = new ContainerInfo(ContainerInfo.Type.DOCKER, null, null,
        new ContainerInfo.DockerInfo("busybox", "BRIDGE", List.of(map(31000, 80)), null, null),
        null, null);
    assertThat(TaskNetworkRules.networkName(docker)).contains(TaskNetworkRules.DEFAULT_NETWORK);
    assertThat(TaskNetworkRules.portMappings(docker)).containsExactly(map(31000, 80));
    assertThat(TaskNetworkRules.invalid(task(List.of(), docker))).isPresent();
  }
}
