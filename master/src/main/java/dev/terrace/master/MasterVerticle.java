package dev.terrace.master;

import dev.terrace.common.model.Address;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.MasterDetector;
import dev.terrace.master.agent.AgentChannel;
import dev.terrace.master.allocator.HierarchicalDrfAllocator;
import dev.terrace.master.auth.MasterEndpoints;
import dev.terrace.master.auth.MasterSecurity;
import dev.terrace.master.auth.OperatorAuthorization;
import dev.terrace.master.auth.ReadAuthorization;
import dev.terrace.master.auth.RequestLimits;
import dev.terrace.master.auth.SchedulerAuthorization;
import dev.terrace.security.authn.AuthenticationHandler;
import dev.terrace.security.limits.InFlightLimit;
import dev.terrace.master.election.LeaderContender;
import dev.terrace.master.election.LeadershipListener;
import dev.terrace.master.http.AgentUsageProxy;
import dev.terrace.master.http.LeaderGate;
import dev.terrace.master.http.SandboxProxy;
import dev.terrace.master.http.TaskLogProxy;
import dev.terrace.master.metrics.MasterMetrics;
import dev.terrace.master.operator.Jsonp;
import dev.terrace.master.operator.OperatorViews;
import dev.terrace.master.operator.OperatorApi;
import dev.terrace.master.operator.StateJson;
import dev.terrace.master.registry.Registry;
import dev.terrace.master.registry.RegistrySnapshot;
import dev.terrace.master.scheduler.SchedulerApi;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master process on Vert.x: one HTTP server (framework, agent, operator APIs) and the
 * leadership state. Deployed as a single instance, so its context is the master actor's: request
 * handlers, WebSocket frames, timers and leadership changes all run there, in order.
 */
final class MasterVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MasterVerticle.class);
  static final String VERSION = "0.1.0";
  /** Scheduler calls are small; a body past this is an error rather than memory pressure. */
  private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

  private final MasterConfig config;
  /** The advertised host's address, resolved before deployment (DNS blocks; event loops must not). */
  private final String advertisedIp;
  private final java.util.function.Supplier<LeaderContender> contenders;
  private final java.util.function.Supplier<java.util.concurrent.CompletionStage<Registry>> registries;
  private LeaderContender contender;
  /** Bumped on every change of leadership, so late callbacks of an old term are ignored. */
  private long term;
  private boolean recovering;
  private final MasterDetector detector;
  private final Consumer<String> onLostLeadership;
  private final Instant startTime = Instant.now();
  /** Process-wide: survives terms of leadership; a standby answers it too (elected 0). */
  private final MasterMetrics metrics = new MasterMetrics(startTime);
  /** Process-wide too: ids minted in one term are never minted again in a later one. */
  private final IdSequences ids = new IdSequences();
  private HttpServer server;
  private MasterInfo info;
  private volatile Master master;

  /**
   * @param contenders makes a contender; a new one after a registry failure, to rejoin as standby
   * @param registries opens the registry for a new term (fencing out older leaders)
   */
  MasterVerticle(MasterConfig config, String advertisedIp,
      java.util.function.Supplier<LeaderContender> contenders,
      java.util.function.Supplier<java.util.concurrent.CompletionStage<Registry>> registries,
      MasterDetector detector, Consumer<String> onLostLeadership) {
    this.config = config;
    this.advertisedIp = advertisedIp;
    this.contenders = contenders;
    this.registries = registries;
    this.detector = detector;
    this.onLostLeadership = onLostLeadership;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(this::timeRequest);
    router.route().handler(ctx -> gate().handle(ctx));
    MasterSecurity security = config.security();
    router.route().handler(new AuthenticationHandler("master", security.authentication(),
        MasterEndpoints::realmOf));
    router.get().handler(new ReadAuthorization(security.authorizer(), () -> master));
    router.get("/health").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.get("/master/health").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.get("/version").handler(ctx -> ctx.json(Map.of("version", VERSION)));
    router.get("/master/redirect").handler(ctx -> gate().redirect(ctx));
    router.get("/redirect").handler(ctx -> gate().redirect(ctx));
    SchedulerApi scheduler = new SchedulerApi(vertx, () -> master,
        new SchedulerAuthorization(security.authentication(), security.authorizer()));
    // Limits on routes of their own, ahead of the APIs' (Vert.x wants a body handler first in
    // its route); the rate first: a caller over it must not take one of the open slots.
    router.post("/api/v1/scheduler").handler(rateLimit())
        .handler(new InFlightLimit("scheduler API requests", security.limits().maxOpenSchedulerRequests()));
    router.post("/api/v1/scheduler")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(scheduler::handle);
    router.get("/api/v1/agent").handler(ctx -> ctx.request().toWebSocket()
        .onSuccess(ws -> AgentChannel.accept(ws, () -> master, vertx, config.agentPingTimeout(),
            config.maxAgentPingTimeouts()))
        .onFailure(e -> LOG.warn("Agent WebSocket upgrade failed: {}", e.toString())));
    OperatorApi operator = new OperatorApi(() -> master, VERSION, startTime, this::flags, metrics,
        new OperatorAuthorization(security.authorizer())).agentTls(security.tls());
    router.post("/api/v1").handler(rateLimit())
        .handler(new InFlightLimit("operator API requests", security.limits().maxOpenOperatorRequests()));
    router.post("/api/v1")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(operator::handle);
    router.get("/master/allocation/explain").handler(operator::explain);
    router.get("/master/task-log").handler(new TaskLogProxy(vertx, () -> master, security.tls())::handle);
    SandboxProxy sandbox = new SandboxProxy(vertx, () -> master, security.tls());
    router.get("/master/sandbox/browse").handler(sandbox::browse);
    router.get("/master/sandbox/read").handler(sandbox::read);
    router.get("/master/sandbox/download").handler(sandbox::download);
    router.get("/master/agent-usage").handler(new AgentUsageProxy(vertx, () -> master, security.tls())::handle);
    // The UI's third-party modules from WebJars on the classpath (uPlot), before /ui/*.
    router.route("/ui/vendor/*").handler(StaticHandler.create("META-INF/resources/webjars"));
    // The web UI: static classpath files (no build step). Behind the gate like the rest, so a
    // standby's UI redirects to the leader's, whose JSON endpoints it then reads.
    router.route("/ui/*").handler(StaticHandler.create("webui").setCachingEnabled(false));
    router.get("/").handler(ctx -> ctx.reroute("/ui/index.html"));
    router.get("/master/state").handler(ctx -> {
      Master m = master;
      if (m == null) {
        ctx.response().setStatusCode(503).end("Not leading");
        return;
      }
      Jsonp.send(ctx, StateJson.render(m, VERSION, startTime, flags()));
    });
    router.get("/master/state-summary").handler(ctx -> leaderJson(ctx,
        m -> OperatorViews.stateSummary(m, flags().get("cluster"))));
    router.get("/master/frameworks").handler(ctx -> leaderJson(ctx,
        m -> OperatorViews.frameworks(m, ctx.queryParams().get("framework_id"))));
    router.get("/master/slaves").handler(ctx -> leaderJson(ctx,
        m -> OperatorViews.slaves(m, ctx.queryParams().get("slave_id"))));
    router.get("/master/roles").handler(ctx -> leaderJson(ctx, OperatorViews::roles));
    router.get("/master/tasks").handler(ctx -> {
      var q = ctx.queryParams();
      int limit;
      int offset;
      try {
        limit = q.get("limit") == null ? 100 : Integer.parseInt(q.get("limit"));
        offset = q.get("offset") == null ? 0 : Integer.parseInt(q.get("offset"));
      } catch (NumberFormatException e) {
        ctx.response().setStatusCode(400).end("'limit' and 'offset' must be integers");
        return;
      }
      String order = q.get("order") == null ? "des" : q.get("order");
      if (!order.equals("asc") && !order.equals("des")) {
        ctx.response().setStatusCode(400).end("'order' must be 'asc' or 'des'");
        return;
      }
      leaderJson(ctx, m -> OperatorViews.tasks(m, q.get("framework_id"), q.get("task_id"), limit,
          offset, order.equals("asc")));
    });
    // Answered by standbys too (see LeaderGate): master/elected says which one leads.
    router.get("/metrics/snapshot").handler(ctx -> {
      metrics.refresh(master, Instant.now());
      Jsonp.send(ctx, dev.terrace.common.json.Json.toTree(metrics.snapshot()));
    });
    router.get("/metrics").handler(ctx -> {
      metrics.refresh(master, Instant.now());
      ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
          .end(metrics.scrape());
    });
    HttpServerOptions serverOptions = new HttpServerOptions().setHost(config.bindHost())
        .setRegisterWebSocketWriteHandlers(false);
    server = vertx.createHttpServer(security.tls() == null ? serverOptions
        : security.tls().applyTo(serverOptions));
    server.connectionHandler(new dev.terrace.master.http.ConnectionLimit(
        dev.terrace.master.http.ConnectionLimit.DEFAULT_MAX)::accept);
    return server.requestHandler(router).listen(config.port()).map(s -> {
      info = masterInfo(s.actualPort());
      contend();
      LOG.info("Master {} listening on {}:{}", info.id(), config.advertisedHost(), s.actualPort());
      return s;
    });
  }

  /** A route's rate limit per caller: passes everything when none is configured. */
  private io.vertx.core.Handler<io.vertx.ext.web.RoutingContext> rateLimit() {
    RequestLimits l = config.security().limits();
    return l.qpsPerCaller() > 0
        ? new dev.terrace.security.limits.RateLimitHandler(l.qpsPerCaller(), l.burst())
        : io.vertx.ext.web.RoutingContext::next;
  }

  /**
   * API latencies for /metrics: each request is timed to its response's headers, tagged with the
   * route that served it (the path pattern, so ids do not multiply the series), else "other".
   */
  private void timeRequest(io.vertx.ext.web.RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addHeadersEndHandler(v -> {
      var route = ctx.currentRoute();
      String endpoint = route != null && route.getPath() != null ? route.getPath() : "other";
      metrics.request(endpoint, ctx.request().method().name(), ctx.response().getStatusCode(),
          System.nanoTime() - start);
    });
    ctx.next();
  }

  /** A JSON document built from the master's state on its context, 503 when not leading. */
  private void leaderJson(io.vertx.ext.web.RoutingContext ctx,
      java.util.function.Function<Master, com.fasterxml.jackson.databind.JsonNode> build) {
    Master m = master;
    if (m == null) {
      ctx.response().setStatusCode(503).end("Not leading");
      return;
    }
    Jsonp.send(ctx, build.apply(m));
  }

  private void contend() {
    Context ctx = context;
    LeaderContender mine = contenders.get();
    contender = mine;
    // Callbacks of a contender replaced since (after relinquishing) must not touch the new term.
    mine.start(info, new LeadershipListener() {
      @Override
      public void elected() {
        ctx.runOnContext(v -> {
          if (contender == mine) {
            becomeLeader();
          }
        });
      }

      @Override
      public void lost(String reason) {
        ctx.runOnContext(v -> {
          if (contender == mine) {
            stepDown(reason);
          }
        });
      }
    });
  }

  private LeaderGate gate() {
    return new LeaderGate(() -> master != null, () -> recovering, detector, info);
  }

  /**
   * Elected: first open the registry (which fences out every older leader) and read it; only then
   * serve. Calls in the meantime get 503 "recovering".
   */
  private void becomeLeader() {
    if (master != null || recovering) {
      return;
    }
    recovering = true;
    long myTerm = ++term;
    LOG.info("Master {} elected; recovering the registry", info.id());
    Future.fromCompletionStage(registries.get().thenCompose(r -> r.recover()
        .thenApply(snapshot -> java.util.Map.entry(r, snapshot))), context)
        .onComplete(ar -> {
          if (myTerm != term) {
            return; // leadership was lost meanwhile
          }
          recovering = false;
          if (ar.failed()) {
            LOG.error("Cannot recover the registry: {}", ar.cause().toString());
            relinquish("registry recovery failed: " + ar.cause().getMessage());
            return;
          }
          serve(ar.result().getKey(), ar.result().getValue(), myTerm);
        });
  }

  private void serve(Registry registry, RegistrySnapshot snapshot, long myTerm) {
    Master m = new Master(vertx, config, info, new HierarchicalDrfAllocator(), Clock.systemUTC(), registry,
        snapshot, e -> context.runOnContext(v -> {
          if (term == myTerm) {
            relinquish("registry write failed: " + e.getMessage());
          }
        }), metrics, ids);
    master = m;
    long timer = vertx.setPeriodic(config.allocationInterval().toMillis(), t -> {
      if (master == m) {
        m.allocate();
      } else {
        vertx.cancelTimer(t);
      }
    });
    LOG.info("Master {} is now the leader (allocation timer {})", info.id(), timer);
  }

  /** Gives leadership up on purpose: a new contender rejoins as a standby (or the process exits). */
  private void relinquish(String reason) {
    stepDown(reason);
    contender.close();
    if (!config.exitOnLostLeadership()) {
      contend();
    }
  }

  private void stepDown(String reason) {
    term++;
    recovering = false;
    Master m = master;
    master = null;
    if (m != null) {
      LOG.warn("Master {} lost leadership: {}; it stops acting now", info.id(), reason);
      m.stop();
      onLostLeadership.accept(reason);
    }
  }

  MasterInfo info() {
    return info;
  }

  /** See {@link MasterServer#openLocalAgentConnection}. */
  LocalAgentConnection openLocalAgentConnection(java.util.function.Consumer<String> toAgent) {
    Context ctx = context;
    dev.terrace.master.agent.AgentSession[] session = new dev.terrace.master.agent.AgentSession[1];
    ctx.runOnContext(v -> session[0] = new dev.terrace.master.agent.AgentSession(() -> master,
        toAgent, reason -> { }));
    return new LocalAgentConnection() {
      @Override
      public void send(String json) {
        ctx.runOnContext(v -> session[0].onText(json));
      }

      @Override
      public void close() {
        ctx.runOnContext(v -> session[0].onClose());
      }
    };
  }

  boolean isLeader() {
    return master != null;
  }

  int actualPort() {
    return server.actualPort();
  }

  private Map<String, String> flags() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("hostname", config.advertisedHost());
    f.put("port", Integer.toString(config.port()));
    f.put("zk", config.zkUrl() == null ? "" : config.zkUrl());
    f.put("work_dir", config.workDir() == null ? "" : config.workDir().toString());
    f.put("heartbeat_interval", config.heartbeatInterval().toSeconds() + "secs");
    f.put("allocation_interval", config.allocationInterval().toMillis() + "ms");
    f.put("agent_ping_timeout", config.agentPingTimeout().toMillis() + "ms");
    f.put("max_agent_ping_timeouts", Integer.toString(config.maxAgentPingTimeouts()));
    f.put("agent_reregister_timeout", config.agentReregisterTimeout().toSeconds() + "secs");
    return f;
  }

  @Override
  public Future<?> stop() {
    Master m = master;
    master = null;
    if (m != null) {
      m.stop();
    }
    contender.close();
    return server == null ? Future.succeededFuture() : server.close();
  }

  private MasterInfo masterInfo(int boundPort) {
    String host = config.advertisedHost();
    int port = config.advertisedPort() != null ? config.advertisedPort() : boundPort;
    return new MasterInfo(UUID.randomUUID().toString(), MasterInfo.packIpv4(advertisedIp), port,
        "master@" + advertisedIp + ":" + port, host, VERSION, new Address(host, advertisedIp, port));
  }

}
