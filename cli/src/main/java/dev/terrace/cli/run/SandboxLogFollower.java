package dev.terrace.cli.run;

import dev.terrace.cli.security.ClientCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Copies one sandbox file (a task's stdout or stderr) from an agent's Mesos-style files API to a
 * local stream, remembering how far it got: each {@link #poll()} reads from that offset until the
 * agent has nothing more, so calling it repeatedly follows the file as the task writes it.
 */
public final class SandboxLogFollower {
  /** Bytes asked for per request: big enough to catch up quickly, small enough to stay responsive. */
  static final int CHUNK = 64 * 1024;

  private final HttpClient http;
  private final URI agent;
  private final String path;
  private final OutputStream out;
  private long offset;

  public SandboxLogFollower(HttpClient http, URI agent, String path, OutputStream out) {
    this.http = http;
    this.agent = agent;
    this.path = path;
    this.out = out;
  }

  /** The sandbox path the agent serves for a command task (its executor id is the task id). */
  public static String sandboxPath(FrameworkId framework, TaskId task, String file) {
    return "/frameworks/" + framework.value() + "/executors/" + task.value() + "/runs/latest/" + file;
  }

  /** Bytes copied so far, which is also the file offset the next read starts at. */
  public long offset() {
    return offset;
  }

  /** Copies until the agent has nothing more, for after the task ended and its files are final. */
  public long drain() throws IOException, InterruptedException {
    long total = 0;
    for (long n = poll(); n > 0; n = poll()) {
      total += n;
    }
    return total;
  }

  /**
   * Copies everything new; returns how many bytes. A file that does not exist yet (404: the task
   * has not started) counts as empty.
   *
   * @throws IOException when the agent cannot be reached or answers with another error
   */
  public long poll() throws IOException, InterruptedException {
    long copied = 0;
    while (true) {
      URI uri = agent.resolve("/files/read?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
          + "&offset=" + offset + "&length=" + CHUNK);
      HttpResponse<byte[]> response = http.send(
          ClientCredentials.authorize(HttpRequest.newBuilder(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 404) {
        return copied;
      }
      if (response.statusCode() != 200) {
        throw new IOException("agent " + agent + " answered HTTP " + response.statusCode()
            + " for " + path + ": " + new String(response.body(), StandardCharsets.UTF_8).strip());
      }
      JsonNode node = Json.mapper().readTree(response.body());
      String data = node.path("data").asText("");
      if (data.isEmpty()) {
        return copied;
      }
      // The API serves text and counts offsets in bytes; output that is valid UTF-8 (nearly all
      // of it) re-encodes to the same bytes, so advancing by the encoded length stays in step.
      byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
      out.write(bytes);
      out.flush();
      offset += bytes.length;
      copied += bytes.length;
      if (bytes.length < CHUNK) {
        return copied; // a short read means we reached the end (for now)
      }
    }
  }
}
