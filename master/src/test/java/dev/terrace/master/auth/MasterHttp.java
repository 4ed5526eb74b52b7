package dev.terrace.master.auth;

import dev.terrace.security.authn.HttpCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Real HTTP calls to a master from the tests, with or without credentials. */
final class MasterHttp {
  private final HttpClient http;
  private final String base;

  MasterHttp(String base) {
    this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  MasterHttp(String base, HttpClient http) {
    this.base = base;
    this.http = http;
  }

  HttpResponse<String> get(String path, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String json, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Accept", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A SUBSCRIBE whose stream is closed as soon as its status is known: returns the status (and body on error). */
  String subscribe(String frameworkInfoJson, String authorization) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/v1/scheduler"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json").header("Accept", "application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    String call = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":" + frameworkInfoJson + "}}";
    HttpResponse<InputStream> r = http.send(b.POST(HttpRequest.BodyPublishers.ofString(call)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      if (r.statusCode() == 200) {
        return "200";
      }
      return r.statusCode() + " " + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static String basic(String principal, String secret) {
    return HttpCredentials.basic(principal, secret);
  }
}
