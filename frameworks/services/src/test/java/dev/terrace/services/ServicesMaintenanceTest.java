package dev.terrace.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Maintenance through the master's operator API: once a machine is scheduled for maintenance, the
 * services framework moves its instances to another agent before the window, replacing before
 * killing, so the service never has fewer healthy instances than it should. Tasks run as host
 * processes; the two agents look like two machines (127.0.0.1 and localhost).
 */
class ServicesMaintenanceTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void instancesLeaveAnAgentScheduledForMaintenanceWithoutDroppingBelowTheMinimum() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().agents(0)
        .containerizer(Containerizers.hostProcesses()).start()) {
      cluster.startAgent(cluster.workDir().resolve("agent-localhost"), "localhost");
      ServicesFramework f = ServicesFramework.start(ServicesConfig.defaults(cluster.zkUrl(),
          "zk://" + cluster.zooKeeper().connectString() + "/terrace-services-maint").withHosts("127.0.0.1", "127.0.0.1")
          .withPort(0).withTick(Duration.ofMillis(100)));
      try (f) {
        await().atMost(WAIT).until(f::isLeader);
        ServicesHttp api = new ServicesHttp(f.url());
        api.ok("PUT", "/v1/services/steady", "{\"command\":\"sleep 1000\",\"instances\":2,\"mem\":16,"
            + "\"minimum_health_capacity\":1,\"maximum_over_capacity\":0.5}");
        await().atMost(WAIT).until(() -> api.healthy("steady").size() == 2);
        assertThat(hosts(api)).containsOnly("localhost");
        cluster.startAgent(); // the machine the instances can move to (127.0.0.1)

        AtomicInteger lowest = new AtomicInteger(2);
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
          while (watching.get()) {
            try {
              lowest.accumulateAndGet(api.healthy("steady").size(), Math::min);
            } catch (Exception ignored) {
              // a failed poll says nothing about health
            }
          }
        });
        watcher.start();
        try {
          HttpResponse<String> scheduled = operator(cluster, "{\"type\":\"UPDATE_MAINTENANCE_SCHEDULE\","
              + "\"update_maintenance_schedule\":{\"schedule\":{\"windows\":[{\"machine_ids\":[{\"hostname\":"
              + "\"localhost\"}],\"unavailability\":{\"start\":{\"nanoseconds\":" + (System.currentTimeMillis() + 3_600_000L)
              + "000000},\"duration\":{\"nanoseconds\":3600000000000}}}]}}}");
          assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(200);
          await().atMost(WAIT).until(() -> api.healthy("steady").size() == 2
              && hosts(api).stream().allMatch("127.0.0.1"::equals) && api.show("steady").path("instances").size() == 2);
        } finally {
          watching.set(false);
          watcher.join();
        }
        assertThat(lowest.get()).isEqualTo(2);
      }
    }
  }

  private static java.util.List<String> hosts(ServicesHttp api) throws Exception {
    java.util.List<String> hosts = new java.util.ArrayList<>();
    for (JsonNode i : api.show("steady").path("instances")) {
      hosts.add(i.path("hostname").asText());
    }
    return hosts;
  }

  private static HttpResponse<String> operator(InProcessCluster cluster, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url()
        + "/api/v1")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }
}
