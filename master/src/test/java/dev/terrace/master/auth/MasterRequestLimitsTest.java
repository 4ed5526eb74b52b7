package dev.terrace.master.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits and caps on open requests, through a real master. */
class MasterRequestLimitsTest {
  @TempDir
  Path dir;
  private MasterServer master;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
  }

  private MasterHttp start(RequestLimits limits) throws Exception {
    master = MasterServer.start(MasterConfig.builder().port(0).workDir(dir)
        .security(new MasterSecurity(null, null, null, false, limits)).build());
    await().atMost(10, TimeUnit.SECONDS).until(master::isLeader);
    return new MasterHttp("http://127.0.0.1:" + master.port());
  }

  @Test
  void aCallerPastItsRateGets429AndChangesNothing() throws Exception {
    // One token per 100 s after a burst of two: the third call is over the rate whatever the timing.
    MasterHttp http = start(new RequestLimits(0.01, 2, 100, 100));
    String update = "{\"type\":\"UPDATE_WEIGHTS\",\"update_weights\":{\"weight_infos\":[{\"role\":\"r\",\"weight\":%s}]}}";
    assertThat(http.post("/api/v1", update.formatted("2"), null).statusCode()).isEqualTo(200);
    assertThat(http.post("/api/v1", "{\"type\":\"GET_HEALTH\"}", null).statusCode()).isEqualTo(200);
    HttpResponse<String> limited = http.post("/api/v1", update.formatted("7"), null);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    assertThat(http.get("/master/roles", null).body()).doesNotContain("7.0");
    // Reads outside the limited APIs are not counted.
    assertThat(http.get("/master/state", null).statusCode()).isEqualTo(200);
  }

  @Test
  void operatorStreamsPastTheCapGet429UntilOneCloses() throws Exception {
    MasterHttp http = start(new RequestLimits(0, 1, 100, 1));
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + master.port() + "/api/v1"))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"SUBSCRIBE\"}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    stream.body().read();

    HttpResponse<String> refused = http.post("/api/v1", "{\"type\":\"GET_HEALTH\"}", null);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).isEqualTo("Too many open operator API requests (at most 1); retry later");

    stream.body().close();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(http.post("/api/v1", "{\"type\":\"GET_HEALTH\"}", null).statusCode()).isEqualTo(200));
  }
}
