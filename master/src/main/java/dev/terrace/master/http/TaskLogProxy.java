package dev.terrace.master.http;

import dev.terrace.master.Master;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code GET /master/task-log?task_id=T&file=stdout&offset=N[&length=L]}: reads a task's sandbox
 * file through the agent's {@code /files/read} and answers its JSON ({@code {offset, data}}) as is.
 * The web UI needs this because a browser page served by the master cannot call agents on other
 * origins (CORS), and operators often cannot reach agents at all. The agent call is asynchronous
 * (WebClient), so the master's event loop never waits on an agent.
 */
public final class TaskLogProxy {
  /** Only the sandbox's standard streams: the proxy must not become a read-anything endpoint. */
  private static final Set<String> FILES = Set.of("stdout", "stderr");

  private final Supplier<Master> master;
  private final WebClient client;

  public TaskLogProxy(Vertx vertx, Supplier<Master> master) {
    this.master = master;
    this.client = AgentReplies.client(vertx);
  }

  public void handle(RoutingContext ctx) {
    Master m = AgentReplies.leading(ctx, master);
    if (m == null) {
      return;
    }
    var q = ctx.queryParams();
    String taskId = q.get("task_id");
    String file = q.get("file") == null ? "stdout" : q.get("file");
    if (taskId == null || taskId.isEmpty()) {
      ctx.response().setStatusCode(400).end("Missing query parameter 'task_id'");
      return;
    }
    if (!FILES.contains(file)) {
      ctx.response().setStatusCode(400).end("'file' must be 'stdout' or 'stderr'");
      return;
    }
    String offset = q.get("offset") == null ? "0" : q.get("offset");
    String length = q.get("length");
    try {
      Long.parseLong(offset);
      if (length != null) {
        Long.parseLong(length);
      }
    } catch (NumberFormatException e) {
      ctx.response().setStatusCode(400).end("'offset' and 'length' must be integers");
      return;
    }
    TaskSandbox sandbox;
    try {
      sandbox = TaskSandbox.locate(m, taskId);
    } catch (TaskSandbox.NotFound e) {
      ctx.response().setStatusCode(404).end(e.getMessage());
      return;
    }
    String path = sandbox.root() + "/" + file;
    var req = client.get(sandbox.port(), sandbox.host(), "/files/read")
        .addQueryParam("path", path).addQueryParam("offset", offset).timeout(10_000);
    if (length != null) {
      req.addQueryParam("length", length);
    }
    req.send().onComplete(ar -> AgentReplies.relay(ctx, ar));
  }
}
