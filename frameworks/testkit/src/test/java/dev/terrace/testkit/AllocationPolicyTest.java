package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.MasterServer;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Weights and quota through the operator API, kept across a leader failover, and the allocator's
 * explanation of why a framework gets no offers.
 */
class AllocationPolicyTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> operator(MasterServer m, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(m.url() + "/api/v1"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(MasterServer m, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(m.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.mapper().readTree(r.body());
  }

  @Test
  void quotaLimitCapsOffersAndPolicySurvivesFailover() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2)
        .containerizer(Containerizers.hostProcesses()).start()) {
      MasterServer leader = cluster.leader().orElseThrow();
      assertThat(operator(leader, "{\"type\":\"UPDATE_WEIGHTS\",\"update_weights\":{\"weight_infos\":"
          + "[{\"role\":\"analytics\",\"weight\":2.5}]}}").statusCode()).isEqualTo(200);
      assertThat(operator(leader, "{\"type\":\"UPDATE_QUOTA\",\"update_quota\":{\"quota_configs\":"
          + "[{\"role\":\"capped\",\"limits\":{\"cpus\":{\"value\":0.5}}}]}}").statusCode()).isEqualTo(200);
      HttpResponse<String> bad = operator(leader, "{\"type\":\"UPDATE_QUOTA\",\"update_quota\":{\"quota_configs\":"
          + "[{\"role\":\"capped\",\"limits\":{\"cpus\":{\"value\":-1}}}]}}");
      assertThat(bad.statusCode()).isEqualTo(400);

      RecordingScheduler capped = new RecordingScheduler();
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "capped", "capped"),
          capped).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !capped.offers.isEmpty());
        assertThat(Resources.of(capped.offers.get(0).resources()).scalar("cpus")).isLessThanOrEqualTo(0.5);

        // Holding its capped offer, the framework is at its limit: the allocator says so.
        FrameworkId id = capped.subscriptions.get(0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          JsonNode why = get(cluster.leader().orElseThrow(), "/master/allocation/explain?framework_id=" + id.value());
          assertThat(why.path("summary").asText()).containsIgnoringCase("quota");
        });
      }

      MasterServer old = cluster.leader().orElseThrow();
      old.close();
      MasterServer next = cluster.awaitLeader();
      JsonNode weights = Json.mapper().readTree(operator(next, "{\"type\":\"GET_WEIGHTS\"}").body());
      assertThat(weights.path("get_weights").path("weight_infos").toString()).contains("analytics").contains("2.5");
      JsonNode quota = Json.mapper().readTree(operator(next, "{\"type\":\"GET_QUOTA\"}").body());
      assertThat(quota.path("get_quota").path("status").path("configs").toString()).contains("capped");
      // Not a Mesos call: the caller's mistake. A Mesos call not implemented here: 501.
      assertThat(operator(next, "{\"type\":\"NO_SUCH_CALL\"}").statusCode()).isEqualTo(400);
      assertThat(operator(next, "{\"type\":\"GROW_VOLUME\"}").statusCode()).isEqualTo(501);
    }
  }
}
