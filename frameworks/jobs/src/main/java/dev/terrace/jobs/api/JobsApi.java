package dev.terrace.jobs.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.jobs.JobsFramework;
import dev.terrace.jobs.scheduling.JobView;
import dev.terrace.jobs.scheduling.JobsController;
import dev.terrace.jobs.scheduling.JobsException;
import dev.terrace.jobs.spec.JobSpec;
import dev.terrace.sdk.http.FrameworkHttp;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The jobs REST API (JSON, snake_case like the Mesos APIs) and the UI:
 *
 * <pre>
 * GET    /v1/jobs                    summaries of every job
 * PUT    /v1/jobs/NAME               create or update a job (body: a job spec)
 * GET    /v1/jobs/NAME               the job, its runs (newest first) and why waiting ones wait
 * POST   /v1/jobs/NAME/runs          start a run now
 * GET    /v1/jobs/NAME/runs/N        one run
 * POST   /v1/jobs/NAME/kill          kill the active runs
 * DELETE /v1/jobs/NAME               kill its runs and forget the job
 * GET    /v1/info                    which instance leads, the framework id and master
 * </pre>
 *
 * A follower answers {@code /v1/*} and the UI with {@code 307} to the leader (503 with none). Work
 * goes to the controller's own thread; handlers only wait on its futures, never block.
 */
public final class JobsApi {
  private final Vertx vertx;
  private final JobsFramework framework;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  public JobsApi(Vertx vertx, JobsFramework framework) {
    this.vertx = vertx;
    this.framework = framework;
  }

  public Router router() {
    Router r = Router.router(vertx);
    r.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
    var leaderOnly = FrameworkHttp.leaderOnly(vertx, framework::isLeader, framework::leaderUrl, framework::url);
    r.route("/v1/*").handler(leaderOnly);
    r.route("/ui/*").handler(leaderOnly);
    r.get("/v1/info").handler(this::info);
    r.get("/v1/jobs").handler(ctx -> answer(ctx, 200, c -> c.list()
        .thenApply(l -> l.stream().map(JobView::summary).toList())));
    r.put("/v1/jobs/:name").handler(this::put);
    r.get("/v1/jobs/:name").handler(this::show);
    r.post("/v1/jobs/:name/runs").handler(ctx -> answer(ctx, 201, c -> c.startRun(name(ctx))));
    r.get("/v1/jobs/:name/runs/:n").handler(this::run);
    r.post("/v1/jobs/:name/kill").handler(ctx -> answer(ctx, 200, c -> c.kill(name(ctx))));
    r.delete("/v1/jobs/:name").handler(ctx -> answer(ctx, 204, c -> c.delete(name(ctx))));
    r.route("/ui/common/*").handler(StaticHandler.create("framework-ui").setCachingEnabled(false));
    r.route("/ui/*").handler(StaticHandler.create("jobs-ui").setCachingEnabled(false));
    r.get("/").handler(ctx -> ctx.redirect("/ui/index.html"));
    return r;
  }

  private void info(RoutingContext ctx) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("leader", framework.url());
    framework.controller().flatMap(JobsController::frameworkId).ifPresent(id -> n.put("framework_id", id.value()));
    framework.controller().flatMap(JobsController::masterInfo).ifPresent(m -> n.put("master_url", m.baseUrl()));
    send(ctx, 200, n);
  }

  private void put(RoutingContext ctx) {
    JobSpec spec;
    try {
      spec = FrameworkHttp.body(ctx, JobSpec.class, "a job spec");
    } catch (dev.terrace.sdk.http.ApiException e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    if ((spec.name() != null && !spec.name().equals(name(ctx)))) {
      error(ctx, 400, "the body's name must be absent or match the path");
      return;
    }
    JobSpec named = new JobSpec(name(ctx), spec.image(), spec.command(), spec.cpus(), spec.mem(), spec.disk(),
        spec.gpus(), spec.env(), spec.uris(), spec.role(), spec.constraints(), spec.instances(), spec.retries(),
        spec.retryBackoffSeconds(), spec.timeoutSeconds(), spec.schedule(), spec.timeZone(),
        spec.concurrencyPolicy(), spec.dependencies());
    answer(ctx, 200, c -> c.putJob(named));
  }

  /** The job, plus the master's URL (for sandbox links) and, while runs wait, the allocator's view. */
  private void show(RoutingContext ctx) {
    JobsController c = framework.controller().orElse(null);
    if (c == null) {
      error(ctx, 503, "this instance no longer leads");
      return;
    }
    CompletableFuture<JsonNode> body = c.show(name(ctx)).thenCompose(view -> {
      ObjectNode n = (ObjectNode) Json.toTree(view);
      c.masterInfo().ifPresent(m -> n.put("master_url", m.baseUrl()));
      if (view.pendingReasons().isEmpty() || c.masterInfo().isEmpty() || c.frameworkId().isEmpty()) {
        return CompletableFuture.completedFuture(n);
      }
      String url = c.masterInfo().get().baseUrl() + "/master/allocation/explain?framework_id="
          + URLEncoder.encode(c.frameworkId().get().value(), StandardCharsets.UTF_8);
      HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build();
      return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
        if (err != null || resp.statusCode() != 200) {
          n.putObject("allocator").put("error", err != null ? String.valueOf(err.getMessage())
              : "master answered " + resp.statusCode() + ": " + resp.body());
        } else {
          n.set("allocator", Json.parse(resp.body(), JsonNode.class));
        }
        return n;
      });
    });
    respond(ctx, 200, body);
  }

  private void run(RoutingContext ctx) {
    int n;
    try {
      n = Integer.parseInt(ctx.pathParam("n"));
    } catch (NumberFormatException e) {
      error(ctx, 400, "run number must be a number");
      return;
    }
    answer(ctx, 200, c -> c.show(name(ctx)).thenApply(v -> v.runs().stream().filter(r -> r.number() == n)
        .findFirst().orElseThrow(() -> new JobsException(404, "job " + name(ctx) + " has no run " + n))));
  }

  private void answer(RoutingContext ctx, int status, Function<JobsController, CompletableFuture<?>> work) {
    JobsController c = framework.controller().orElse(null);
    if (c == null) {
      error(ctx, 503, "this instance no longer leads");
      return;
    }
    respond(ctx, status, work.apply(c));
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("name");
  }

  private static void respond(RoutingContext ctx, int status, CompletableFuture<?> result) {
    FrameworkHttp.respond(ctx, status, result);
  }

  private static void send(RoutingContext ctx, int status, Object body) {
    FrameworkHttp.send(ctx, status, body);
  }

  private static void error(RoutingContext ctx, int status, String message) {
    FrameworkHttp.error(ctx, status, message);
  }
}
