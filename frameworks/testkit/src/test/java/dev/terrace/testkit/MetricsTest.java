package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
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

/** {@code /metrics/snapshot} (Mesos' flat JSON) and {@code /metrics} (Prometheus) on leader and standby. */
class MetricsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(MasterServer m, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(m.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode snapshot(MasterServer m) throws Exception {
    HttpResponse<String> r = get(m, "/metrics/snapshot");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.mapper().readTree(r.body());
  }

  @Test
  void snapshotAndPrometheusCountARunningTaskAndAnAgent() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2)
        .containerizer(Containerizers.hostProcesses()).start()) {
      MasterServer leader = cluster.awaitLeader();
      RecordingScheduler scheduler = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(),
          FrameworkInfo.of("tester", "metrics-test"), scheduler).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
        Offer offer = scheduler.latestOffer().orElseThrow();
        TaskId id = Tasks.newId("sleeper");
        client.launch(offer, List.of(Tasks.shell(id, offer, 0.5, 32, "sleep 60"))).join();
        await().atMost(Duration.ofSeconds(30))
            .until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));

        JsonNode s = snapshot(leader);
        assertThat(s.path("master/elected").asDouble()).isEqualTo(1.0);
        assertThat(s.path("master/tasks_running").asDouble()).isEqualTo(1.0);
        assertThat(s.path("master/slaves_active").asDouble()).isEqualTo(1.0);
        assertThat(s.path("master/slaves_connected").asDouble()).isEqualTo(1.0);
        assertThat(s.path("master/frameworks_active").asDouble()).isEqualTo(1.0);
        assertThat(s.path("master/cpus_used").asDouble()).isEqualTo(0.5);
        assertThat(s.path("master/cpus_total").asDouble()).isGreaterThan(0.5);
        assertThat(s.path("master/cpus_percent").asDouble()).isBetween(0.0, 1.0);
        assertThat(s.path("master/mem_used").asDouble()).isEqualTo(32.0);
        assertThat(s.path("master/valid_status_updates").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(s.path("master/messages_accept").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(s.path("allocator/allocation_runs").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(s.has("allocator/allocation_run_ms")).isTrue();
        assertThat(s.has("master/uptime_secs")).isTrue();
        assertThat(s.has("master/tasks_finished")).isTrue();

        HttpResponse<String> prom = get(leader, "/metrics");
        assertThat(prom.statusCode()).isEqualTo(200);
        assertThat(prom.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(prom.body()).contains("terrace_master_tasks_running 1.0")
            .contains("terrace_master_elected 1.0")
            .contains("terrace_allocator_allocation_runs_total")
            // API latencies, by route pattern (the framework's calls, the snapshot just read).
            .contains("terrace_http_requests_seconds_count{endpoint=\"/api/v1/scheduler\",method=\"POST\",status=\"2xx\"}")
            .contains("endpoint=\"/metrics/snapshot\"");
        // The agent counts its running containers (the task above).
        await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.send(
            HttpRequest.newBuilder(URI.create(cluster.agents().get(0).url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body()).contains("terrace_agent_containers 1.0"));

        // A standby answers too, and says it is not elected (no redirect to the leader).
        MasterServer standby = cluster.masters().stream().filter(m -> m != leader).findFirst().orElseThrow();
        JsonNode st = snapshot(standby);
        assertThat(st.path("master/elected").asDouble()).isEqualTo(0.0);
        assertThat(st.path("master/tasks_running").asDouble()).isEqualTo(0.0);
        assertThat(get(standby, "/metrics").body()).contains("terrace_master_elected 0.0");

        // A task that finishes is counted.
        client.kill(id, offer.agentId());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(snapshot(leader).path("master/tasks_killed").asDouble()).isEqualTo(1.0));
        assertThat(snapshot(leader).path("master/tasks_running").asDouble()).isEqualTo(0.0);
      }
    }
  }
}
