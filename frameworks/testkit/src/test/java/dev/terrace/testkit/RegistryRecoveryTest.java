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
import dev.terrace.common.scheduler.Call;
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
 * What a new leader knows from the registry alone: agents that do not re-register in time become
 * unreachable (and their tasks reconcile as unreachable), and a torn-down framework stays refused.
 */
class RegistryRecoveryTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void newLeaderRemembersAgentsAndTornDownFrameworks() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2)
        .containerizer(Containerizers.hostProcesses())
        .masterConfig(b -> b.agentReregisterTimeout(Duration.ofSeconds(2))
            .agentPingTimeout(Duration.ofSeconds(30)))
        .start()) {
      // A framework that will be torn down.
      RecordingScheduler gone = new RecordingScheduler();
      FrameworkId goneId;
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "gone"), gone)
          .build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !gone.subscriptions.isEmpty());
        goneId = gone.subscriptions.get(0);
        c.teardown().join();
      }
      // A partition-aware framework with a task on the agent.
      RecordingScheduler aware = new RecordingScheduler();
      FrameworkInfo awareInfo = new FrameworkInfo("t", "aware", null, 300.0, true, null, List.of(),
          null, null, null, null, null).withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), awareInfo, aware).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> aware.latestOffer().isPresent());
        Offer offer = aware.latestOffer().orElseThrow();
        TaskId task = Tasks.newId("on-lost-agent");
        c.launch(offer, List.of(Tasks.shell(task, offer, 0.1, 32, "sleep 60"))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> aware.states(task).contains(TaskState.TASK_RUNNING));

        // The agent and the leader die together: only the registry remembers the agent.
        MasterServer old = cluster.leader().orElseThrow();
        cluster.crashAgent(0);
        old.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.leader().filter(m -> m != old).isPresent());
        MasterServer leader = cluster.leader().orElseThrow();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
            assertThat(state(leader).path("unreachable_slaves").asInt()).isEqualTo(1));
        await().atMost(Duration.ofSeconds(20)).until(() -> aware.subscriptions.size() >= 2);
        int before = aware.updates.size();
        c.reconcile(List.of(new Call.Reconcile.ReconcileTask(task, offer.agentId()))).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> aware.updates.size() > before);
        assertThat(aware.updates.get(aware.updates.size() - 1).state()).isEqualTo(TaskState.TASK_UNREACHABLE);

        // The torn-down framework cannot come back through the new leader either.
        String resubscribe = "{\"type\":\"SUBSCRIBE\",\"framework_id\":{\"value\":\"" + goneId.value()
            + "\"},\"subscribe\":{\"framework_info\":{\"user\":\"t\",\"name\":\"gone\",\"id\":{\"value\":\""
            + goneId.value() + "\"}}}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(leader.url() + "/api/v1/scheduler"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(resubscribe)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("torn down");
      }
    }
  }

  private JsonNode state(MasterServer m) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(m.url() + "/master/state"))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
