package dev.terrace.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.master.Master;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The operator API's LIST_FILES and READ_FILE on the master. The master attaches each task's
 * sandbox at {@code /tasks/<task id>} (running or completed tasks), so an operator reads
 * {@code /tasks/web-1/stdout} without knowing which agent ran it; the files come from that agent's
 * files API, asynchronously (the master's event loop never waits on an agent). Paths may not climb
 * out of the sandbox. Failures are {@link FileCallException}s carrying the HTTP status to answer.
 */
public final class OperatorFiles {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String PREFIX = "/tasks/";

  /** A refusal with its HTTP status (400 bad path, 404 unknown task or file, 502 agent down). */
  public static final class FileCallException extends Exception {
    private final int status;

    FileCallException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final WebClient client;

  /** @param tls the master's TLS (agents are then reached over https), or null */
  public OperatorFiles(Vertx vertx, dev.terrace.security.tls.TlsConfig tls) {
    this.client = AgentReplies.client(vertx, tls);
  }

  /** {@code Response.ListFiles}: {@code {file_infos: [{path, nlink, size, mtime, mode, uid, gid}]}}. */
  public Future<ObjectNode> list(Master m, String path, String authorization) {
    Located at;
    try {
      at = locate(m, path);
    } catch (FileCallException e) {
      return Future.failedFuture(e);
    }
    return caller(client.get(at.sandbox.port(), at.sandbox.host(), "/files/browse"), authorization)
        .addQueryParam("path", at.agentPath).timeout(10_000).send()
        .transform(ar -> answer(ar.succeeded() ? ar.result() : null, ar.cause(), path))
        .map(listing -> {
          ObjectNode out = F.objectNode();
          ArrayNode infos = out.putArray("file_infos");
          for (JsonNode e : listing) {
            String name = e.path("path").asText();
            name = name.substring(name.lastIndexOf('/') + 1);
            ObjectNode info = infos.addObject();
            info.put("path", at.virtualDir + "/" + name);
            info.put("nlink", e.path("nlink").asLong());
            info.put("size", e.path("size").asLong());
            info.putObject("mtime").put("nanoseconds", e.path("mtime").asLong() * 1_000_000_000L);
            info.put("mode", mode(e.path("mode").asText()));
            info.put("uid", e.path("uid").asText());
            info.put("gid", e.path("gid").asText());
          }
          return out;
        });
  }

  /** {@code Response.ReadFile}: {@code {size, data}} ({@code data} base64, as protobuf bytes). */
  public Future<ObjectNode> read(Master m, String path, long offset, Long length, String authorization) {
    Located at;
    try {
      at = locate(m, path);
    } catch (FileCallException e) {
      return Future.failedFuture(e);
    }
    // Offset -1 asks the agent for the size alone; then the bytes themselves.
    Future<JsonNode> size = caller(client.get(at.sandbox.port(), at.sandbox.host(), "/files/read"), authorization)
        .addQueryParam("path", at.agentPath).addQueryParam("offset", "-1").timeout(10_000).send()
        .transform(ar -> answer(ar.succeeded() ? ar.result() : null, ar.cause(), path));
    return size.compose(s -> {
      var req = caller(client.get(at.sandbox.port(), at.sandbox.host(), "/files/read"), authorization)
          .addQueryParam("path", at.agentPath).addQueryParam("offset", Long.toString(offset));
      if (length != null) {
        req.addQueryParam("length", Long.toString(length));
      }
      return req.timeout(10_000).send().transform(ar -> answer(ar.succeeded() ? ar.result() : null, ar.cause(), path))
          .map(data -> {
            ObjectNode out = F.objectNode();
            out.put("size", s.path("offset").asLong());
            out.put("data", Base64.getEncoder().encodeToString(
                data.path("data").asText("").getBytes(StandardCharsets.UTF_8)));
            return out;
          });
    });
  }

  /** The operator's own credentials go to the agent, whose ACLs judge the operator. */
  private static <T> io.vertx.ext.web.client.HttpRequest<T> caller(io.vertx.ext.web.client.HttpRequest<T> request,
      String authorization) {
    return authorization == null ? request : request.putHeader("Authorization", authorization);
  }

  private record Located(TaskSandbox sandbox, String agentPath, String virtualDir) {}

  /** {@code /tasks/T[/rel]} to the agent's path; on the master's context. */
  private static Located locate(Master m, String path) throws FileCallException {
    if (path == null || !path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
      throw new FileCallException(404, "No such path: " + path + " (task sandboxes are at /tasks/<task id>/...)");
    }
    String rest = path.substring(PREFIX.length());
    int slash = rest.indexOf('/');
    String taskId = slash < 0 ? rest : rest.substring(0, slash);
    String rel = slash < 0 ? "" : rest.substring(slash + 1).replaceAll("/+$", "");
    for (String part : rel.split("/")) {
      if (part.equals("..") || part.equals(".")) {
        throw new FileCallException(400, "A path may not contain '.' or '..': " + path);
      }
    }
    TaskSandbox sandbox;
    try {
      sandbox = TaskSandbox.locate(m, taskId);
    } catch (TaskSandbox.NotFound e) {
      throw new FileCallException(404, e.getMessage());
    }
    String agentPath = rel.isEmpty() ? sandbox.root() : sandbox.root() + "/" + rel;
    return new Located(sandbox, agentPath, (PREFIX + taskId + (rel.isEmpty() ? "" : "/" + rel)));
  }

  private static Future<JsonNode> answer(HttpResponse<Buffer> r, Throwable err, String path) {
    if (err != null || r == null) {
      return Future.failedFuture(new FileCallException(502, "The task's agent could not be asked: "
          + (err == null ? "no answer" : err.getMessage())));
    }
    if (r.statusCode() == 404) {
      return Future.failedFuture(new FileCallException(404, "No such file or directory: " + path));
    }
    if (r.statusCode() != 200) {
      return Future.failedFuture(new FileCallException(r.statusCode() >= 500 ? 502 : r.statusCode(),
          r.bodyAsString()));
    }
    try {
      return Future.succeededFuture(Json.parse(r.bodyAsBuffer().getBytes(), JsonNode.class));
    } catch (RuntimeException e) {
      return Future.failedFuture(new FileCallException(502, "The agent's answer is not JSON: " + e.getMessage()));
    }
  }

  /** {@code -rwxr-x---} (or {@code drwx...}) as st_mode bits. */
  static int mode(String text) {
    if (text.length() != 10) {
      return 0;
    }
    int mode = switch (text.charAt(0)) {
      case 'd' -> 0040000;
      case 'l' -> 0120000;
      default -> 0100000;
    };
    String bits = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      if (text.charAt(i + 1) == bits.charAt(i)) {
        mode |= 1 << (8 - i);
      }
    }
    return mode;
  }
}
