package dev.terrace.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls a jobs framework's REST API the way the CLI does (following a follower's redirect). */
final class JobsHttp {
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  JobsHttp(String base) {
    this.base = base;
  }

  record Answer(int status, JsonNode body) {}

  Answer call(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? null : Json.parse(r.body(), JsonNode.class));
  }

  JsonNode put(String name, String json) throws Exception {
    Answer a = call("PUT", "/v1/jobs/" + name, json);
    if (a.status() != 200) {
      throw new AssertionError("PUT " + name + ": " + a.status() + " " + a.body());
    }
    return a.body();
  }

  JsonNode startRun(String name) throws Exception {
    Answer a = call("POST", "/v1/jobs/" + name + "/runs", null);
    if (a.status() != 201) {
      throw new AssertionError("start " + name + ": " + a.status() + " " + a.body());
    }
    return a.body();
  }

  JsonNode show(String name) throws Exception {
    return call("GET", "/v1/jobs/" + name, null).body();
  }

  /** The run's status, or "" while it does not exist. */
  String runStatus(String name, int run) throws Exception {
    for (JsonNode r : show(name).path("runs")) {
      if (r.path("number").asInt() == run) {
        return r.path("status").asText();
      }
    }
    return "";
  }
}
