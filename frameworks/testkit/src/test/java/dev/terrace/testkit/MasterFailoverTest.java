package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.master.MasterServer;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leading master goes away while a task runs: the standby takes over, the agent re-registers
 * with its task, the framework resubscribes as itself, and the task is still there and can be
 * killed through the new leader. Nothing is lost.
 */
class MasterFailoverTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private JsonNode state(MasterServer m) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(m.url() + "/master/state"))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void runningTaskSurvivesLeaderFailover() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(3)
        .containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      FrameworkInfo info = new FrameworkInfo("tester", "failover", null, 300.0, true, null,
          List.of(), null, null, null, null, null)
          .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(), info, scheduler).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
        Offer offer = scheduler.latestOffer().orElseThrow();
        TaskId id = Tasks.newId("long");
        // The short task ends while there is no leader: its update waits on the agent.
        TaskId shortTask = Tasks.newId("short");
        java.nio.file.Path gate = cluster.workDir().resolve("gate");
        client.launch(offer, List.of(Tasks.shell(id, offer, 0.5, 64, "sleep 120"),
            Tasks.shell(shortTask, offer, 0.1, 32, "while [ ! -e " + gate + " ]; do sleep 0.05; done"))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING)
            && scheduler.states(shortTask).contains(TaskState.TASK_RUNNING));
        FrameworkId fwId = scheduler.subscriptions.get(0);

        MasterServer oldLeader = cluster.leader().orElseThrow();
        oldLeader.close();
        java.nio.file.Files.createFile(gate);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.masters().stream()
            .anyMatch(m -> m != oldLeader && m.isLeader()));
        MasterServer newLeader = cluster.leader().filter(m -> m != oldLeader).orElseThrow();

        // The framework resubscribed as itself, and the agent brought its task back.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          JsonNode s = state(newLeader);
          assertThat(s.path("slaves")).hasSize(1);
          JsonNode fw = s.path("frameworks").path(0);
          assertThat(fw.path("id").asText()).isEqualTo(fwId.value());
          assertThat(fw.path("connected").asBoolean()).isTrue();
          assertThat(fw.path("tasks").path(0).path("id").asText()).isEqualTo(id.value());
          assertThat(fw.path("tasks").path(0).path("state").asText()).isEqualTo("TASK_RUNNING");
          assertThat(s.path("slaves").path(0).path("used_resources").path("cpus").asDouble()).isEqualTo(0.5);
        });
        assertThat(scheduler.subscriptions).allMatch(fwId::equals);
        assertThat(scheduler.terminal(id)).isEmpty();
        // The update sent while no master led reaches the framework, once (it was acknowledged).
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.terminal(shortTask).isPresent());
        // (The SDK's reconciliation after resubscribing may add answers; they carry no uuid.)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(scheduler.updates.stream().filter(u -> u.taskId().equals(shortTask) && u.uuid() != null)
                .map(u -> u.state())).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
                TaskState.TASK_FINISHED));
        assertThat(scheduler.states(shortTask)).doesNotContain(TaskState.TASK_UNKNOWN, TaskState.TASK_LOST);

        client.kill(id, offer.agentId()).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.terminal(id).isPresent());
        assertThat(scheduler.terminal(id).orElseThrow().state()).isEqualTo(TaskState.TASK_KILLED);
      }
    }
  }
}
