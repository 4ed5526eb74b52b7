package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reliable status updates end to end: the agent resends a task's oldest unacknowledged update
 * until the framework acknowledges it through the master, and only then sends the next one.
 */
class StatusUpdateRetryTest {
  private InProcessCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses())
        .statusRetry(Duration.ofMillis(200)).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("tester", "retry-test"), scheduler)
        .autoAcknowledge(false).build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private List<TaskStatus> updatesOf(TaskId id) {
    return scheduler.updates.stream().filter(s -> s.taskId().equals(id)).toList();
  }

  private long count(TaskId id, TaskState state) {
    return updatesOf(id).stream().filter(s -> s.state() == state).count();
  }

  private TaskStatus first(TaskId id, TaskState state) {
    return updatesOf(id).stream().filter(s -> s.state() == state).findFirst().orElseThrow();
  }

  /** The states in arrival order with repeats (resends) collapsed. */
  private static List<TaskState> distinctRuns(List<TaskState> states) {
    List<TaskState> out = new ArrayList<>();
    for (TaskState s : states) {
      if (out.isEmpty() || out.get(out.size() - 1) != s) {
        out.add(s);
      }
    }
    return out;
  }

  @Test
  void unacknowledgedUpdatesAreResentAndTheNextOnesWaitForTheAck() {
    Offer offer = scheduler.latestOffer().orElseThrow();
    TaskId id = Tasks.newId("retry");
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 32, "true"))).join();

    // TASK_STARTING comes again and again while nobody acknowledges it ...
    await().atMost(Duration.ofSeconds(30)).until(() -> count(id, TaskState.TASK_STARTING) >= 3);
    // ... and nothing after it is delivered meanwhile (the task itself has long finished).
    assertThat(scheduler.states(id)).containsOnly(TaskState.TASK_STARTING);
    TaskStatus starting = first(id, TaskState.TASK_STARTING);
    assertThat(updatesOf(id)).allSatisfy(s -> assertThat(s.uuid()).isEqualTo(starting.uuid()));

    client.acknowledge(starting).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> count(id, TaskState.TASK_RUNNING) >= 1);
    assertThat(scheduler.states(id)).doesNotContain(TaskState.TASK_FINISHED);

    TaskStatus running = first(id, TaskState.TASK_RUNNING);
    client.acknowledge(running).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> count(id, TaskState.TASK_FINISHED) >= 1);
    client.acknowledge(first(id, TaskState.TASK_FINISHED)).join();

    assertThat(distinctRuns(scheduler.states(id)))
        .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
  }
}
