package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.sdk.SchedulerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A framework's scheduler dies mid-run; another scheduler process subscribes with the same
 * framework id within the failover timeout: it gets the tasks back, and the update of a task that
 * ended while no scheduler was connected (held and resent by the agent) is delivered to it. A
 * framework whose failover timeout runs out is torn down and its tasks killed.
 */
class FrameworkFailoverTest {

  private static FrameworkInfo info(FrameworkId id, double failoverTimeout) {
    return new FrameworkInfo("t", "failing-over", id, failoverTimeout, true, null, List.of(), null, null,
        null, null, null).withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
  }

  @Test
  void aNewSchedulerWithTheSameIdGetsTheTasksAndTheHeldUpdates() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses())
        .statusRetry(Duration.ofMillis(200)).start()) {
      Path gate = cluster.workDir().resolve("gate");
      RecordingScheduler first = new RecordingScheduler();
      TaskId longTask = Tasks.newId("long");
      TaskId endsAlone = Tasks.newId("ends-alone");
      FrameworkId id;
      try (SchedulerClient a = SchedulerClient.builder(cluster.zkUrl(), info(null, 300), first).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> first.latestOffer().isPresent());
        Offer offer = first.latestOffer().orElseThrow();
        a.launch(offer, List.of(Tasks.shell(longTask, offer, 0.1, 32, "sleep 60"),
            Tasks.shell(endsAlone, offer, 0.1, 32, "while [ ! -e " + gate + " ]; do sleep 0.05; done"))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> first.states(longTask).contains(TaskState.TASK_RUNNING)
            && first.states(endsAlone).contains(TaskState.TASK_RUNNING));
        id = first.subscriptions.get(0);
      } // the scheduler process "dies": its stream closes
      Files.createFile(gate); // this task ends while no scheduler is connected

      RecordingScheduler second = new RecordingScheduler();
      try (SchedulerClient b = SchedulerClient.builder(cluster.zkUrl(), info(id, 300), second).build().start()) {
        await().atMost(Duration.ofSeconds(15)).until(() -> second.subscriptions.contains(id));
        await().atMost(Duration.ofSeconds(15)).until(() -> second.terminal(endsAlone).isPresent());
        assertThat(second.terminal(endsAlone).orElseThrow().state()).isEqualTo(TaskState.TASK_FINISHED);
        b.reconcile(List.of()).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> second.states(longTask).contains(TaskState.TASK_RUNNING));
      }
    }
  }

  @Test
  void aFrameworkThatDoesNotComeBackInTimeIsTornDownAndItsTasksKilled() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      TaskId task = Tasks.newId("orphan");
      try (SchedulerClient a = SchedulerClient.builder(cluster.zkUrl(), info(null, 0.5), s).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.latestOffer().isPresent());
        Offer offer = s.latestOffer().orElseThrow();
        a.launch(offer, List.of(Tasks.shell(task, offer, 0.1, 32, "sleep 60"))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(task).contains(TaskState.TASK_RUNNING));
      }
      // After the 0.5 s failover timeout the agent is told to shut the framework down.
      await().atMost(Duration.ofSeconds(15)).until(() -> cluster.agents().get(0).agent().tasks().isEmpty());
    }
  }
}
