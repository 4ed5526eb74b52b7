package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.sdk.WireFormat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SDK over protobuf against a real cluster, and its reconciliation after resubscribing: it
 * keeps asking a new leader about the tasks it knows until the master answers for each (here once
 * the task's agent has re-registered).
 */
class SdkWireFormatTest {
  @Test
  void protobufClientRunsATaskAndReconcilesAfterFailover() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2).agents(1)
        .containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "pb-sdk"), s)
          .wireFormat(WireFormat.PROTOBUF).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.latestOffer().isPresent());
        Offer offer = s.latestOffer().orElseThrow();
        TaskId id = Tasks.newId("pb");
        c.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 16, "sleep 60"))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(id).contains(TaskState.TASK_RUNNING));

        cluster.leader().orElseThrow().close();
        cluster.awaitLeader();
        await().atMost(Duration.ofSeconds(30)).until(() -> s.updates.stream().anyMatch(u ->
            u.taskId().equals(id) && u.reason() == TaskStatus.Reason.REASON_RECONCILIATION
                && u.state() == TaskState.TASK_RUNNING));
        c.kill(id, offer.agentId()).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(id).contains(TaskState.TASK_KILLED));
      }
    }
  }
}
