package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.agent.AgentConfig;
import dev.terrace.agent.AgentServer;
import dev.terrace.common.json.Json;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code --advertise-ip} and {@code --advertise-port}: a master or agent behind NAT publishes the
 * address and port others reach it at, not the ones it binds.
 */
class AdvertiseTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private JsonNode get(String url) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  @Test
  void masterAndAgentPublishTheirAdvertisedAddressAndPort() throws Exception {
    Path dir = Files.createTempDirectory("terrace-advertise");
    MasterServer master = MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1")
        .bindHost("127.0.0.1").port(0).workDir(dir.resolve("master"))
        .advertisedIp("192.0.2.50").advertisedPort(15050).build());
    try (master) {
      assertThat(master.info().port()).isEqualTo(15050);
      assertThat(master.info().address().ip()).isEqualTo("192.0.2.50");
      String url = "http://127.0.0.1:" + master.port();
      JsonNode leader = get(url + "/master/state").path("leader_info");
      assertThat(leader.path("port").asInt()).isEqualTo(15050);

      AgentConfig config = new AgentConfig(url, "127.0.0.1", "127.0.0.1", 0, dir.resolve("agent"),
          "cpus:1;mem:128", "", "auto", false).withAdvertised("198.51.100.7", 25051);
      try (AgentServer agent = AgentServer.start(config,
          Containerizers.hostProcesses().apply(dir.resolve("agent")), Duration.ofSeconds(1))) {
        await().atMost(Duration.ofSeconds(30)).until(() -> get(url + "/master/state")
            .path("slaves").size() == 1);
        JsonNode slave = get(url + "/master/state").path("slaves").path(0);
        assertThat(slave.path("hostname").asText()).isEqualTo("198.51.100.7");
        assertThat(slave.path("port").asInt()).isEqualTo(25051);
        assertThat(slave.path("pid").asText()).endsWith("@198.51.100.7:25051");
        assertThat(agent.port()).isNotEqualTo(25051);
      }
    }
  }
}
