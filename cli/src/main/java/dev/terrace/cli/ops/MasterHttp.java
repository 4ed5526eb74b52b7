package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.MasterDetector;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The operator commands' way to the leading master: an {@code http://} URL as given (a standby
 * redirects to the leader, which the client follows), or a {@code zk://} URL resolved through
 * ZooKeeper. Answers are JSON.
 */
public final class MasterHttp implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public MasterHttp(String masterUrl) throws Exception {
    if (masterUrl.startsWith("zk://")) {
      try (MasterDetector detector = MasterDetector.forUrl(masterUrl)) {
        MasterInfo leader = detector.awaitLeader().get(15, TimeUnit.SECONDS);
        base = URI.create(leader.baseUrl());
      }
    } else {
      base = URI.create(masterUrl.replaceAll("/+$", ""));
    }
  }

  public HttpClient client() {
    return http;
  }

  /** GET {@code pathAndQuery} on the master; a non-200 answer is an IOException with its text. */
  public JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("master answered " + r.statusCode() + ": " + r.body());
    }
    return Json.mapper().readTree(r.body());
  }

  /**
   * One v1 operator API call ({@code POST /api/v1}); the answer's JSON, or an empty object for a
   * call that answers nothing. A 4xx is a {@link MasterRefusedException} with the master's reason.
   */
  public JsonNode call(JsonNode body) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/api/v1"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 400 && r.statusCode() < 500) {
      throw new MasterRefusedException(r.statusCode(), r.body());
    }
    if (r.statusCode() != 200) {
      throw new IOException("master answered " + r.statusCode() + ": " + r.body());
    }
    return r.body().isBlank() ? Json.mapper().createObjectNode() : Json.mapper().readTree(r.body());
  }

  /** The agent's base URL ({@code http://host:port}) for an agent id, from the master. */
  public URI agentUrl(String agentId) throws IOException, InterruptedException {
    for (JsonNode s : get("/master/slaves").path("slaves")) {
      if (s.path("id").asText().equals(agentId)) {
        return URI.create("http://" + s.path("hostname").asText() + ":" + s.path("port").asInt());
      }
    }
    throw new IOException("agent " + agentId + " is not known to the master");
  }

  @Override
  public void close() {
    // the JDK client has nothing to close on Java 17
  }
}
