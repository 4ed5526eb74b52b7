package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An agent that goes away is marked unreachable once its ping budget is spent; its tasks are
 * reported TASK_UNREACHABLE to a partition-aware framework (TASK_LOST to others); when it comes
 * back under its id it is admitted again, and tasks it no longer has are reported gone.
 */
class AgentUnreachableTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void agentThatDisappearsIsUnreachableAndIsAdmittedAgainWhenItReturns() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder()
        .containerizer(Containerizers.hostProcesses())
        .masterConfig(b -> b.agentPingTimeout(Duration.ofMillis(200)).maxAgentPingTimeouts(3))
        .start()) {
      RecordingScheduler aware = new RecordingScheduler();
      RecordingScheduler plain = new RecordingScheduler();
      // One framework after the other: a framework holding an offer it neither uses nor
      // declines would starve the second (offers have no timeout yet).
      try (SchedulerClient a = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "aware")
              .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE), aware).build().start()) {
        TaskId awareTask = launchLongTask(a, aware, "aware");
        try (SchedulerClient p = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "plain"),
            plain).build().start()) {
          TaskId plainTask = launchLongTask(p, plain, "plain");

          Path dir = cluster.crashAgent(0);
          // TASK_UNREACHABLE is not terminal: the task may come back with its agent.
          await().atMost(Duration.ofSeconds(20)).until(() ->
              aware.states(awareTask).contains(TaskState.TASK_UNREACHABLE)
              && plain.terminal(plainTask).isPresent());
          TaskStatus unreachable = aware.updates.stream()
              .filter(u -> u.state() == TaskState.TASK_UNREACHABLE).findFirst().orElseThrow();
          assertThat(unreachable.state()).isEqualTo(TaskState.TASK_UNREACHABLE);
          assertThat(unreachable.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
          assertThat(plain.terminal(plainTask).orElseThrow().state()).isEqualTo(TaskState.TASK_LOST);
          assertThat(state(cluster).path("unreachable_slaves").asInt()).isEqualTo(1);

          cluster.startAgent(dir);
          await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode s = state(cluster);
            assertThat(s.path("unreachable_slaves").asInt()).isZero();
            assertThat(s.path("slaves")).hasSize(1);
            assertThat(s.path("slaves").path(0).path("active").asBoolean()).isTrue();
          });
        }
      }
    }
  }

  private static TaskId launchLongTask(SchedulerClient client, RecordingScheduler s, String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> s.latestOffer().isPresent());
    Offer offer = s.latestOffer().orElseThrow();
    TaskId id = Tasks.newId(name);
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 32, "sleep 60"))).join();
    await().atMost(Duration.ofSeconds(15)).until(() -> s.states(id).contains(TaskState.TASK_RUNNING));
    return id;
  }

  private JsonNode state(InProcessCluster cluster) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(
        URI.create(cluster.leader().orElseThrow().url() + "/master/state")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }
}
