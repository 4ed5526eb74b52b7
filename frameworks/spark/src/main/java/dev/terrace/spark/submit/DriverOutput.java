package dev.terrace.spark.submit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Copies one file of the driver task's sandbox (stdout or stderr) from the agent's Mesos-style
 * files API ({@code /files/read}) to a local stream, continuing where the last call stopped, so
 * calling {@link #copyNew()} now and then follows the driver's output as spark-submit shows a
 * client-mode driver's.
 */
final class DriverOutput {
  private static final int CHUNK = 64 * 1024;

  private final HttpClient http;
  private final URI agent;
  private final String path;
  private final PrintStream out;
  private long offset;

  DriverOutput(HttpClient http, URI agent, FrameworkId framework, TaskId task, String file, PrintStream out) {
    this.http = http;
    this.agent = agent;
    // A command task's executor id is its task id.
    this.path = "/frameworks/" + framework.value() + "/executors/" + task.value() + "/runs/latest/" + file;
    this.out = out;
  }

  /** Copies what the driver wrote since the last call; a file not there yet counts as empty. */
  void copyNew() throws IOException, InterruptedException {
    while (true) {
      URI uri = agent.resolve("/files/read?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
          + "&offset=" + offset + "&length=" + CHUNK);
      HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 404) {
        return;
      }
      if (response.statusCode() != 200) {
        throw new IOException("agent " + agent + " answered HTTP " + response.statusCode() + " for " + path);
      }
      JsonNode node = Json.mapper().readTree(response.body());
      // Offsets count bytes; the driver's output is UTF-8 text, which re-encodes to the same bytes.
      byte[] bytes = node.path("data").asText("").getBytes(StandardCharsets.UTF_8);
      out.write(bytes, 0, bytes.length);
      out.flush();
      offset += bytes.length;
      if (bytes.length < CHUNK) {
        return;
      }
    }
  }
}
