package dev.terrace.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON client for a framework's REST API (jobs, services). It follows a follower's
 * {@code 307} to the leading instance, and turns an error answer into an exception carrying the
 * framework's own message.
 */
public final class FrameworkApi {
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  public FrameworkApi(String base) {
    this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
  }

  public JsonNode get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  public JsonNode put(String path, Object body) throws IOException, InterruptedException {
    return send("PUT", path, body);
  }

  public JsonNode post(String path) throws IOException, InterruptedException {
    return send("POST", path, null);
  }

  public JsonNode post(String path, Object body) throws IOException, InterruptedException {
    return send("POST", path, body);
  }

  public JsonNode delete(String path) throws IOException, InterruptedException {
    return send("DELETE", path, null);
  }

  private JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(body)));
    HttpResponse<String> resp;
    try {
      resp = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach " + base + " (is the framework running? see --help for the URL option)");
    }
    JsonNode json = resp.body().isEmpty() ? null : Json.parse(resp.body(), JsonNode.class);
    if (resp.statusCode() / 100 != 2) {
      String why = json != null && json.has("error") ? json.path("error").asText() : resp.body();
      throw new IOException(why + " (HTTP " + resp.statusCode() + ")");
    }
    return json;
  }
}
