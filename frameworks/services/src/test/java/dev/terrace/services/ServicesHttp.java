package dev.terrace.services;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** Calls a services framework's REST API (following a follower's redirect). */
final class ServicesHttp {
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

  ServicesHttp(String base) {
    this.base = base;
  }

  record Answer(int status, JsonNode body) {}

  Answer call(String method, String path, String json) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
    b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? null : Json.parse(r.body(), JsonNode.class));
  }

  JsonNode ok(String method, String path, String json) throws Exception {
    Answer a = call(method, path, json);
    if (a.status() / 100 != 2) {
      throw new AssertionError(method + " " + path + ": " + a.status() + " " + a.body());
    }
    return a.body();
  }

  JsonNode show(String name) throws Exception {
    return ok("GET", "/v1/services/" + name, null);
  }

  /** Task ids of the healthy instances, from the endpoints. */
  List<String> healthy(String name) throws Exception {
    List<String> ids = new ArrayList<>();
    ok("GET", "/v1/services/" + name + "/endpoints", null).forEach(e -> ids.add(e.path("task_id").asText()));
    return ids;
  }
}
