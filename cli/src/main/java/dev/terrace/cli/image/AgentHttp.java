package dev.terrace.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Calls to one agent's HTTP API; an answer other than 200 is an IOException with its reason. */
final class AgentHttp {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  AgentHttp(String agentUrl) {
    this.base = URI.create(agentUrl.replaceAll("/+$", "") + "/");
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  JsonNode post(String path, String json) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** The answer's JSON when it is a 200, else empty (no error: for polling). */
  java.util.Optional<JsonNode> poll(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request(path).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? java.util.Optional.of(Json.mapper().readTree(r.body()))
        : java.util.Optional.empty();
  }

  JsonNode upload(String path, Path file) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/x-tar")
        .POST(HttpRequest.BodyPublishers.ofFile(file)));
  }

  JsonNode delete(String path, String reference) throws IOException, InterruptedException {
    return send(request(path + "?reference=" + URLEncoder.encode(reference, StandardCharsets.UTF_8))
        .DELETE());
  }

  private HttpRequest.Builder request(String path) {
    // Pulls and imports of big images take as long as they take.
    return HttpRequest.newBuilder(base.resolve(path.replaceFirst("^/", "")))
        .timeout(Duration.ofHours(1));
  }

  private JsonNode send(HttpRequest.Builder r) throws IOException, InterruptedException {
    HttpResponse<String> response;
    try {
      response = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException e) {
      throw new IOException("cannot reach the agent at " + base + " (is it running? --agent URL)");
    }
    JsonNode body;
    try {
      body = Json.mapper().readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (response.statusCode() != 200) {
      String why = body != null && body.has("error") ? body.get("error").asText() : response.body();
      throw new IOException(why.isBlank() ? "agent answered " + response.statusCode() : why);
    }
    return body;
  }
}
