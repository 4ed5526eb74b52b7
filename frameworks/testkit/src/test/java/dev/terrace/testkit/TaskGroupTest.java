package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.TaskGroupInfo;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LAUNCH_GROUP: a group launches whole or not at all, and lives and dies together. */
class TaskGroupTest {

  private static Operation group(String executor, List<TaskInfo> tasks) {
    return new Operation(Operation.Type.LAUNCH_GROUP, null, null,
        new Operation.LaunchGroup(new ExecutorInfo(ExecutorInfo.Type.DEFAULT, ExecutorId.of(executor),
            null, null, null, null, null, null), new TaskGroupInfo(tasks)),
        null, null, null, null, null, null, null, null);
  }

  @Test
  void groupLaunchesTogetherAndDiesTogether() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      FrameworkInfo info = FrameworkInfo.of("t", "groups").withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(), info, s).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offerWith(1, 256).isPresent());
        Offer offer = s.offerWith(1, 256).orElseThrow();
        s.rescinded.add(offer.id());

        // An invalid group (one task does not fit) launches nothing.
        TaskId ok = Tasks.newId("g0-ok");
        TaskId huge = Tasks.newId("g0-huge");
        // A kill of one task of a running group kills the whole group.
        TaskId a = Tasks.newId("g1-a");
        TaskId b = Tasks.newId("g1-b");
        client.accept(List.of(offer.id()), List.of(
            group("g0", List.of(Tasks.shell(ok, offer, 0.1, 32, "sleep 60"), Tasks.shell(huge, offer, 64, 32, "true"))),
            group("g1", List.of(Tasks.shell(a, offer, 0.1, 32, "sleep 60"), Tasks.shell(b, offer, 0.1, 32, "sleep 60")))),
            null).join();

        await().atMost(Duration.ofSeconds(15)).until(() -> s.terminal(ok).isPresent() && s.terminal(huge).isPresent());
        for (TaskId id : List.of(ok, huge)) {
          TaskStatus st = s.terminal(id).orElseThrow();
          assertThat(st.state()).isEqualTo(TaskState.TASK_ERROR);
          assertThat(st.reason()).isEqualTo(TaskStatus.Reason.REASON_TASK_GROUP_INVALID);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(a).contains(TaskState.TASK_RUNNING)
            && s.states(b).contains(TaskState.TASK_RUNNING));
        client.kill(a, offer.agentId()).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.terminal(a).isPresent() && s.terminal(b).isPresent());
        assertThat(s.terminal(b).orElseThrow().state()).isEqualTo(TaskState.TASK_KILLED);

        // A task of a group that fails takes its siblings with it.
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offerWith(0.2, 64).isPresent());
        Offer next = s.offerWith(0.2, 64).orElseThrow();
        TaskId fails = Tasks.newId("g2-fails");
        TaskId sibling = Tasks.newId("g2-sibling");
        client.accept(List.of(next.id()), List.of(group("g2", List.of(
            Tasks.shell(fails, next, 0.1, 32, "exit 1"), Tasks.shell(sibling, next, 0.1, 32, "sleep 60")))), null).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.terminal(fails).isPresent() && s.terminal(sibling).isPresent());
        assertThat(s.terminal(fails).orElseThrow().state()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(s.terminal(sibling).orElseThrow().state()).isEqualTo(TaskState.TASK_KILLED);
      }
    }
  }
}
