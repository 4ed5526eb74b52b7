package dev.terrace.master.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.master.Master;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * A task's sandbox for the web UI, read through the task's agent's files API (a page served by
 * the master cannot call agents: other origins, and often unreachable from the operator's desk):
 * <ul>
 *   <li>{@code GET /master/sandbox/browse?task_id=T[&path=P]}: the directory's entries, each
 *       {@code {path, name, dir, size, mtime, mode, uid, gid}} with {@code path} relative to the
 *       sandbox;</li>
 *   <li>{@code GET /master/sandbox/read?task_id=T&path=P&offset=N[&length=L]}: the agent's
 *       {@code {offset, data}} ({@code offset=-1} gives the size: how a tail starts; a tail then
 *       asks again from the end it has, so it follows the file as it grows);</li>
 *   <li>{@code GET /master/sandbox/download?task_id=T&path=P}: the file's bytes, streamed.</li>
 * </ul>
 * {@code P} is relative to the task's sandbox and may not climb out of it ({@code ..} is refused
 * here; the agent also refuses anything resolving outside its sandboxes, symlinks included). The
 * agent calls are asynchronous, so the master's event loop never waits on an agent.
 */
public final class SandboxProxy {
  private static final int MAX_PATH = 4096;
  private static final int TIMEOUT_MS = 10_000;

  private final Supplier<Master> master;
  private final HttpClient client;

  public SandboxProxy(Vertx vertx, Supplier<Master> master) {
    this.master = master;
    // A slow or dead agent must not hold the operator's request (and a connection) for long.
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(3000));
  }

  public void browse(RoutingContext ctx) {
    Target t = target(ctx);
    if (t == null) {
      return;
    }
    call(ctx, t, "/files/browse", null).onSuccess(resp -> resp.body().onComplete(body -> {
      if (body.failed()) {
        agentFailed(ctx, body.cause());
      } else if (resp.statusCode() != 200) {
        relay(ctx, resp.statusCode(), body.result());
      } else {
        JsonNode listing;
        try {
          listing = Json.parse(body.result().getBytes(), JsonNode.class);
        } catch (RuntimeException e) {
          agentFailed(ctx, e);
          return;
        }
        ctx.response().putHeader("Content-Type", "application/json")
            .end(relative(t.sandbox().root(), listing).toString());
      }
    }));
  }

  public void read(RoutingContext ctx) {
    String offset = ctx.queryParams().get("offset") == null ? "0" : ctx.queryParams().get("offset");
    String length = ctx.queryParams().get("length");
    try {
      if (Long.parseLong(offset) < -1 || (length != null && Long.parseLong(length) < 0)) {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      badRequest(ctx, "'offset' must be an integer >= -1 and 'length' one >= 0");
      return;
    }
    Target t = target(ctx);
    if (t == null) {
      return;
    }
    String extra = "&offset=" + offset + (length == null ? "" : "&length=" + length);
    call(ctx, t, "/files/read", extra).onSuccess(resp -> resp.body().onComplete(body -> {
      if (body.failed()) {
        agentFailed(ctx, body.cause());
      } else {
        relay(ctx, resp.statusCode(), body.result());
      }
    }));
  }

  public void download(RoutingContext ctx) {
    Target t = target(ctx);
    if (t == null) {
      return;
    }
    call(ctx, t, "/files/download", null).onSuccess(resp -> {
      var out = ctx.response().setStatusCode(resp.statusCode());
      for (String h : new String[] {"Content-Type", "Content-Length", "Content-Disposition"}) {
        if (resp.getHeader(h) != null) {
          out.putHeader(h, resp.getHeader(h));
        }
      }
      resp.pipeTo(out);
    });
  }

  /** A validated request: the task's sandbox and the agent-side path asked for. */
  private record Target(TaskSandbox sandbox, String agentPath) {}

  /** Validates the query and locates the sandbox; null after answering the error. */
  private Target target(RoutingContext ctx) {
    Master m = AgentReplies.leading(ctx, master);
    if (m == null) {
      return null;
    }
    String taskId = ctx.queryParams().get("task_id");
    if (taskId == null || taskId.isEmpty()) {
      badRequest(ctx, "Missing query parameter 'task_id'");
      return null;
    }
    String rel = confined(ctx.queryParams().get("path"));
    if (rel == null) {
      badRequest(ctx, "'path' must be a path inside the task's sandbox (no '..', at most "
          + MAX_PATH + " characters)");
      return null;
    }
    try {
      TaskSandbox s = TaskSandbox.locate(m, taskId);
      return new Target(s, rel.isEmpty() ? s.root() : s.root() + "/" + rel);
    } catch (TaskSandbox.NotFound e) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end(e.getMessage());
      return null;
    }
  }

  /**
   * The path normalised to {@code a/b/c} (empty for the sandbox itself), or null when it would
   * leave the sandbox.
   */
  static String confined(String path) {
    if (path == null) {
      return "";
    }
    if (path.length() > MAX_PATH || path.indexOf('\0') >= 0) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        return null;
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment);
    }
    return out.toString();
  }

  /** The agent's browse listing with paths relative to the sandbox and a name and dir flag each. */
  private static JsonNode relative(String root, JsonNode listing) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode e : listing) {
      ObjectNode copy = ((ObjectNode) e).deepCopy();
      String p = e.path("path").asText();
      String rel = p.startsWith(root + "/") ? p.substring(root.length() + 1) : p;
      copy.put("path", rel);
      copy.put("name", rel.substring(rel.lastIndexOf('/') + 1));
      copy.put("dir", e.path("mode").asText().startsWith("d"));
      out.add(copy);
    }
    return out;
  }

  private io.vertx.core.Future<io.vertx.core.http.HttpClientResponse> call(RoutingContext ctx,
      Target t, String endpoint, String extraQuery) {
    String uri = endpoint + "?path=" + URLEncoder.encode(t.agentPath(), StandardCharsets.UTF_8)
        + (extraQuery == null ? "" : extraQuery);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
        .setHost(t.sandbox().host()).setPort(t.sandbox().port()).setURI(uri)
        .setIdleTimeout(TIMEOUT_MS).putHeader("User-Agent", "terrace-master");
    return client.request(options).compose(req -> req.send())
        .onFailure(e -> agentFailed(ctx, e));
  }

  private static void relay(RoutingContext ctx, int status, Buffer body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", status == 200 ? "application/json" : "text/plain").end(body);
  }

  private static void agentFailed(RoutingContext ctx, Throwable e) {
    if (!ctx.response().headWritten()) {
      ctx.response().setStatusCode(502).end("Agent unreachable: " + e.getMessage());
    }
  }

  private static void badRequest(RoutingContext ctx, String message) {
    ctx.response().setStatusCode(400).putHeader("Content-Type", "text/plain").end(message);
  }
}
