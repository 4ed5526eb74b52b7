package dev.terrace.notebooks.scheduling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Asks a Jupyter server how busy it is: {@code GET /api/status} with the user's token answers
 * {@code {"connections": N, "kernels": N, "last_activity": ISO-8601, "started": ...}}. Jupyter
 * does not count this request as activity, so polling it never keeps a server alive.
 */
public final class JupyterStatus {
  /** What the server reported. */
  public record Status(int connections, int kernels, Instant lastActivity) {}

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  /** The status of the server at {@code host:port}; fails when it does not answer 200 with JSON. */
  public CompletableFuture<Status> fetch(String host, int port, String token) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/api/status"))
        .timeout(Duration.ofSeconds(5)).header("Authorization", "token " + token).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /api/status answered " + r.statusCode());
      }
      JsonNode n = Json.parse(r.body(), JsonNode.class);
      return new Status(n.path("connections").asInt(), n.path("kernels").asInt(),
          Instant.parse(n.path("last_activity").asText()));
    });
  }
}
