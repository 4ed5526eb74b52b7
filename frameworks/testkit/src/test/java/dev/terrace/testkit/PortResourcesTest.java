package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.NetworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Value;
import dev.terrace.sdk.SchedulerClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Host ports are resources: a task gets only ports of its offer, two tasks never get the same one,
 * and a port mapping to a host port outside the task's own ports is a TASK_ERROR with the reason.
 */
class PortResourcesTest {

  private static TaskInfo task(TaskId id, Offer offer, long port, Long mappedHostPort, String cmd) {
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    TaskInfo t = TaskInfo.command(id.value(), id, offer.agentId(), List.of(
        Resource.scalar("cpus", 0.1).withAllocationRole(role),
        Resource.scalar("mem", 32).withAllocationRole(role),
        Resource.ranges("ports", List.of(new Value.Range(port, port))).withAllocationRole(role)),
        CommandInfo.shell(cmd));
    if (mappedHostPort == null) {
      return t;
    }
    return t.withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null, null,
        List.of(new NetworkInfo(null, "terrace", null, null,
            List.of(new NetworkInfo.PortMapping(mappedHostPort, 80, "tcp"))))));
  }

  @Test
  void portsAreGivenOnceAndMappingsStayWithinThem() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder()
        .containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(),
          FrameworkInfo.of("t", "ports"), s).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offerWith(1, 256).isPresent());
        Offer offer = s.offerWith(1, 256).orElseThrow();
        TaskId first = Tasks.newId("first");
        TaskId same = Tasks.newId("same-port");
        TaskId outside = Tasks.newId("outside");
        client.launch(offer, List.of(
            task(first, offer, 31000, null, "sleep 30"),
            task(same, offer, 31000, null, "true"),
            task(outside, offer, 31001, 31002L, "true"))).join();

        await().atMost(Duration.ofSeconds(30)).until(() -> s.states(first).contains(TaskState.TASK_RUNNING)
            && s.terminal(same).isPresent() && s.terminal(outside).isPresent());
        TaskStatus twice = s.terminal(same).orElseThrow();
        assertThat(twice.state()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(twice.message()).contains("31000");
        TaskStatus error = s.terminal(outside).orElseThrow();
        assertThat(error.state()).isEqualTo(TaskState.TASK_ERROR);
        assertThat(error.reason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
        assertThat(error.message()).contains("maps host port 31002")
            .contains("not in its 'ports' resource [31001]");
      }
    }
  }
}
