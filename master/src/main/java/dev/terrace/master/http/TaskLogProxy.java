package dev.terrace.master.http;

import dev.terrace.master.Master;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
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
    this(vertx, master, null);
  }

  /**
   * @param tls when the master serves TLS, agents do too (TLS is cluster-wide, as Mesos' SSL):
   *     reach them over https trusting the same CA; null for plain http
   */
  public TaskLogProxy(Vertx vertx, Supplier<Master> master, dev.terrace.security.tls.TlsConfig tls) {
    this.master = master;
    // A slow or dead agent must not hold the operator's request (and a connection) for long.
    WebClientOptions options = new WebClientOptions().setConnectTimeout(3000)
        .setIdleTimeout(10).setUserAgent("terrace-master");
    this.client = WebClient.create(vertx, tls == null ? options
        : dev.terrace.security.tls.TlsConfig.trusting(tls.ca() != null ? tls.ca() : tls.certificate()).applyTo(options));
  }

  public void handle(RoutingContext ctx) {
    Master m = master.get();
    if (m == null) {
      ctx.response().setStatusCode(503).end("Not leading");
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
    TaskEntry task = find(m, taskId);
    if (task == null) {
      ctx.response().setStatusCode(404).end("No such task: " + taskId);
      return;
    }
    AgentEntry agent = m.agents().stream().filter(a -> a.info.id().equals(task.agentId))
        .findFirst().orElse(null);
    if (agent == null) {
      ctx.response().setStatusCode(404).end("The task's agent is not registered");
      return;
    }
    // Command tasks run under an executor named after the task; others name their executor.
    String executor = task.info.executor() != null && task.info.executor().executorId() != null
        ? task.info.executor().executorId().value() : task.info.taskId().value();
    String path = "/frameworks/" + task.frameworkId.value() + "/executors/" + executor
        + "/runs/latest/" + file;
    int port = agent.info.port() == null ? 5051 : agent.info.port();
    var req = client.get(port, agent.info.hostname(), "/files/read")
        .addQueryParam("path", path).addQueryParam("offset", offset).timeout(10_000);
    if (length != null) {
      req.addQueryParam("length", length);
    }
    // An agent that authenticates its files API sees the operator's own credentials (the same
    // credentials file is deployed cluster-wide), so its ACLs judge the operator, not the master.
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    req.send().onComplete(ar -> {
      if (ar.failed()) {
        ctx.response().setStatusCode(502).end("Agent unreachable: " + ar.cause().getMessage());
        return;
      }
      var r = ar.result();
      ctx.response().setStatusCode(r.statusCode())
          .putHeader("Content-Type", r.statusCode() == 200 ? "application/json" : "text/plain")
          .end(r.bodyAsBuffer() == null ? io.vertx.core.buffer.Buffer.buffer() : r.bodyAsBuffer());
    });
  }

  /** Running tasks first, then the completed ones kept per framework (a finished task's log). */
  private static TaskEntry find(Master m, String taskId) {
    for (FrameworkEntry fw : m.frameworks()) {
      for (TaskEntry t : fw.tasks.values()) {
        if (t.info.taskId().value().equals(taskId)) {
          return t;
        }
      }
    }
    for (FrameworkEntry fw : m.frameworks()) {
      for (TaskEntry t : fw.completedTasks) {
        if (t.info.taskId().value().equals(taskId)) {
          return t;
        }
      }
    }
    return null;
  }
}
