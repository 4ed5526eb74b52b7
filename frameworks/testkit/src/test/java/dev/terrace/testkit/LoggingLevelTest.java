package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** SET_LOGGING_LEVEL raises the master's verbosity for a while; GET_LOGGING_LEVEL reports it. */
class LoggingLevelTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> call(String url, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private int level(String url) throws Exception {
    return Json.mapper().readTree(call(url, "{\"type\":\"GET_LOGGING_LEVEL\"}").body())
        .path("get_logging_level").path("level").asInt(-1);
  }

  @Test
  void levelIsRaisedForItsDurationThenFallsBack() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().agents(0).start()) {
      String url = cluster.leader().orElseThrow().url();
      assertThat(level(url)).isZero();
      assertThat(call(url, "{\"type\":\"SET_LOGGING_LEVEL\",\"set_logging_level\":{\"level\":-1,"
          + "\"duration\":{\"nanoseconds\":1000000000}}}").statusCode()).isEqualTo(400);
      assertThat(call(url, "{\"type\":\"SET_LOGGING_LEVEL\",\"set_logging_level\":{\"level\":2}}").statusCode())
          .as("a duration is required").isEqualTo(400);
      assertThat(level(url)).isZero();

      HttpResponse<String> set = call(url, "{\"type\":\"SET_LOGGING_LEVEL\",\"set_logging_level\":{\"level\":1,"
          + "\"duration\":{\"nanoseconds\":1500000000}}}");
      assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
      assertThat(level(url)).isEqualTo(1);
      assertThat(LoggerFactory.getLogger("dev.terrace.master.Master").isDebugEnabled()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> level(url) == 0);
      assertThat(LoggerFactory.getLogger("dev.terrace.master.Master").isDebugEnabled()).isFalse();
    }
  }
}
