package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.InverseOffer;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.master.MasterServer;
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
 * Mesos' maintenance primitives through the operator API of a real cluster: a schedule makes
 * offers carry the window and sends inverse offers to frameworks with tasks there; their answers
 * show in the status; START_MAINTENANCE takes the machine's agent down for good (its task
 * TASK_GONE_BY_OPERATOR, refused when it comes back); STOP_MAINTENANCE lets it register again.
 * Two agents on this host look like two machines: one calls itself 127.0.0.1, the other localhost.
 */
class MaintenanceTest {
  private static final String WINDOW = "{\"machine_ids\":[{\"hostname\":\"localhost\"}],"
      + "\"unavailability\":{\"start\":{\"nanoseconds\":1000},\"duration\":{\"nanoseconds\":3600000000000}}}";
  private static final String MACHINES = "{\"machines\":[{\"hostname\":\"localhost\"}]}";
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void scheduleInverseOffersStartAndStopMaintenance() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2).agents(1)
        .containerizer(Containerizers.hostProcesses()).start()) {
      Path dir = cluster.workDir().resolve("agent-localhost");
      cluster.startAgent(dir, "localhost");
      RecordingScheduler s = new RecordingScheduler();
      FrameworkInfo info = FrameworkInfo.of("t", "maint")
          .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), info, s).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> offerFrom(s, "localhost") != null);
        Offer offer = offerFrom(s, "localhost");
        AgentId machineAgent = offer.agentId();
        TaskId task = Tasks.newId("maint");
        c.launch(offer, List.of(Tasks.shell(task, offer, 0.1, 16, "sleep 120"))).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> s.states(task).contains(TaskState.TASK_RUNNING));

        // Invalid schedules change nothing: a machine in two windows, START of an unscheduled one.
        assertThat(operator(cluster, "{\"type\":\"UPDATE_MAINTENANCE_SCHEDULE\",\"update_maintenance_schedule\":"
            + "{\"schedule\":{\"windows\":[" + WINDOW + "," + WINDOW + "]}}}").statusCode()).isEqualTo(400);
        assertThat(operator(cluster, "{\"type\":\"START_MAINTENANCE\",\"start_maintenance\":" + MACHINES + "}")
            .statusCode()).isEqualTo(400);
        assertThat(operator(cluster, "{\"type\":\"UPDATE_MAINTENANCE_SCHEDULE\",\"update_maintenance_schedule\":"
            + "{\"schedule\":{\"windows\":[{\"machine_ids\":[]}]}}}").statusCode()).isEqualTo(400);

        int mark = s.offers.size();
        HttpResponse<String> put = operator(cluster, "{\"type\":\"UPDATE_MAINTENANCE_SCHEDULE\","
            + "\"update_maintenance_schedule\":{\"schedule\":{\"windows\":[" + WINDOW + "]}}}");
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        // The framework with a task there is asked to give the machine up, and answers.
        await().atMost(Duration.ofSeconds(30)).until(() -> !s.inverseOffers.isEmpty());
        InverseOffer inverse = s.inverseOffers.get(0);
        assertThat(inverse.agentId()).isEqualTo(machineAgent);
        assertThat(inverse.unavailability().start().nanoseconds()).isEqualTo(1000);
        c.acceptInverseOffers(List.of(inverse.id())).join();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          JsonNode draining = status(cluster).path("draining_machines");
          assertThat(draining).hasSize(1);
          assertThat(draining.path(0).path("id").path("hostname").asText()).isEqualTo("localhost");
          assertThat(draining.path(0).path("statuses").path(0).path("status").asText()).isEqualTo("ACCEPT");
        });
        // New offers from the machine carry its window.
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offers.subList(mark, s.offers.size()).stream()
            .anyMatch(o -> o.agentId().equals(machineAgent) && o.unavailability() != null));

        // A new leader has the same schedule.
        cluster.leader().orElseThrow().close();
        cluster.awaitLeader();
        JsonNode schedule = Json.mapper().readTree(operator(cluster, "{\"type\":\"GET_MAINTENANCE_SCHEDULE\"}").body());
        assertThat(schedule.path("get_maintenance_schedule").path("schedule").path("windows").path(0)
            .path("machine_ids").path(0).path("hostname").asText()).isEqualTo("localhost");
        // Master-made updates reach only a subscribed framework (others reconcile): wait for it.
        await().atMost(Duration.ofSeconds(30)).until(() -> agentCount(cluster) == 2 && s.subscriptions.size() == 2);

        HttpResponse<String> start = operator(cluster, "{\"type\":\"START_MAINTENANCE\",\"start_maintenance\":"
            + MACHINES + "}");
        assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> s.states(task).contains(TaskState.TASK_GONE_BY_OPERATOR));
        assertThat(status(cluster).path("down_machines").path(0).path("hostname").asText()).isEqualTo("localhost");
        // The machine's agent is out and stays out while the machine is down.
        await().atMost(Duration.ofSeconds(30)).until(() -> agentCount(cluster) == 1);
        assertThat(operator(cluster, "{\"type\":\"UPDATE_MAINTENANCE_SCHEDULE\",\"update_maintenance_schedule\":"
            + "{\"schedule\":{\"windows\":[]}}}").statusCode()).as("a down machine stays scheduled").isEqualTo(400);

        HttpResponse<String> stop = operator(cluster, "{\"type\":\"STOP_MAINTENANCE\",\"stop_maintenance\":"
            + MACHINES + "}");
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
        assertThat(status(cluster).path("down_machines")).isEmpty();
        // Up again: the agent (reconnecting on its own) is admitted.
        await().atMost(Duration.ofSeconds(30)).until(() -> agentCount(cluster) == 2);
      }
    }
  }

  private static Offer offerFrom(RecordingScheduler s, String hostname) {
    return s.offers.stream().filter(o -> o.hostname().equals(hostname)).reduce((a, b) -> b).orElse(null);
  }

  private HttpResponse<String> operator(InProcessCluster cluster, String body) throws Exception {
    MasterServer m = cluster.leader().orElseThrow();
    return http.send(HttpRequest.newBuilder(URI.create(m.url() + "/api/v1"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode status(InProcessCluster cluster) throws Exception {
    HttpResponse<String> r = operator(cluster, "{\"type\":\"GET_MAINTENANCE_STATUS\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.mapper().readTree(r.body()).path("get_maintenance_status").path("status");
  }

  private int agentCount(InProcessCluster cluster) throws Exception {
    return Json.mapper().readTree(operator(cluster, "{\"type\":\"GET_AGENTS\"}").body())
        .path("get_agents").path("agents").size();
  }
}
