package dev.terrace.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.auth.AgentEndpoints;
import dev.terrace.agent.auth.AgentSecurity;
import dev.terrace.agent.executor.ExecutorTokens;
import dev.terrace.agent.auth.TaskAccessAuthorization;
import dev.terrace.agent.channel.MasterConnection;
import dev.terrace.security.authn.AuthenticationHandler;
import dev.terrace.agent.checkpoint.TaskCheckpoint;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.exec.ExecApi;
import dev.terrace.agent.files.FilesApi;
import dev.terrace.agent.files.SandboxPaths;
import dev.terrace.agent.monitor.MonitorApi;
import dev.terrace.agent.sandbox.SandboxLayout;
import dev.terrace.agent.status.StatusUpdateManager;
import dev.terrace.agent.task.TaskRunner;
import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.discovery.MasterDetector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent process on Vert.x: its HTTP API (health, state, sandbox files, statistics), the
 * channel to the master, and the {@link Agent} actor, all on this verticle's single context.
 */
final class AgentVerticle extends VerticleBase {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AgentVerticle.class);
  private final AgentConfig config;
  private final AgentInfo baseInfo;
  private final Containerizer containerizer;
  private final MasterDetector detector;
  private final AgentId recoveredId;
  private final Map<String, List<AgentMessage.StatusUpdate>> recoveredUpdates;
  private final List<TaskCheckpoint> recoveredTasks;
  /** Completes once the tasks of an earlier run are back; REGISTER must not go out before. */
  private Future<Void> recovered;
  private final Duration statusRetry;
  private final SandboxKeeper sandboxes;
  private final ExecutorTokens executorTokens;
  private WorkerExecutor pool;
  private HttpServer server;
  private Agent agent;
  private MasterConnection connection;
  private StatusUpdateManager updates;

  AgentVerticle(AgentConfig config, AgentInfo baseInfo, Containerizer containerizer,
      MasterDetector detector, AgentId recoveredId,
      Map<String, List<AgentMessage.StatusUpdate>> recoveredUpdates,
      List<TaskCheckpoint> recoveredTasks, Duration statusRetry, SandboxKeeper sandboxes,
      ExecutorTokens executorTokens) {
    this.sandboxes = sandboxes;
    this.executorTokens = executorTokens;
    this.config = config;
    this.baseInfo = baseInfo;
    this.containerizer = containerizer;
    this.detector = detector;
    this.recoveredId = recoveredId;
    this.recoveredUpdates = recoveredUpdates;
    this.recoveredTasks = recoveredTasks;
    this.statusRetry = statusRetry;
  }

  @Override
  public Future<?> start() {
    // Blocking containerizer work (mounts, runtime CLI, cgroup files) gets its own bounded pool
    // so it can neither block the event loop nor starve other blocking work.
    pool = vertx.createSharedWorkerExecutor("terrace-containerizer", 8, 10, TimeUnit.MINUTES);
    SandboxLayout layout = new SandboxLayout(config.workDir());
    agent = new Agent(vertx, baseInfo, layout, containerizer, pool, recoveredId, executorTokens);
    updates = new StatusUpdateManager(vertx, layout.statusUpdatesDir(),
        u -> agent.connected() && connection.send(u), statusRetry, Duration.ofMinutes(10));
    recoveredUpdates.values().forEach(updates::restore);
    agent.useStatusUpdates(updates);
    // After the updates are restored: a recovered task's new updates queue behind its old ones.
    recovered = agent.recover(recoveredTasks)
        .onFailure(e -> LOG.error("Recovery of the tasks of the previous run failed", e))
        .transform(ar -> sandboxes.start(vertx, agent, pool));
    agent.useSandboxGc(sandboxes.gc());

    Router router = Router.router(vertx);
    AgentSecurity security = config.security();
    router.route().handler(new AuthenticationHandler("agent", security.http(), AgentEndpoints::realmOf));
    router.get().handler(new TaskAccessAuthorization(security.authorizer(), agent::tasks));
    router.get("/health").handler(ctx -> ctx.response().setStatusCode(200).end());
    router.get("/state").handler(ctx -> ctx.response().putHeader("Content-Type", "application/json")
        .end(state().toString()));
    new FilesApi(new SandboxPaths(layout.agentsRoot(),
        () -> agent.agentId() == null ? null : agent.agentId().value()), pool).mount(router);
    new MonitorApi(agent::tasks, containerizer, pool).mount(router);
    new ExecApi(agent::tasks, containerizer, pool).mount(router);
    new dev.terrace.agent.executor.ExecutorApi(agent::executor,
        security.authenticateExecutors() ? executorTokens : null).mount(router);
    containerizer.images().ifPresent(
        images -> new dev.terrace.agent.image.ImageApi(vertx, images, pool).mount(router));
    var metrics = new dev.terrace.agent.metrics.AgentMetrics();
    containerizer.images().ifPresent(metrics::watch);
    containerizer.observe(metrics);
    // Counted on this context (the agent's state is not thread-safe), read by scrapes on workers.
    vertx.setPeriodic(1000, t -> metrics.containers(agent.runningContainers()));
    router.get("/metrics").handler(ctx -> pool.executeBlocking(metrics::scrape, false)
        .onSuccess(text -> ctx.response()
            .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text))
        .onFailure(e -> ctx.response().setStatusCode(500).end(String.valueOf(e.getMessage()))));
    HttpServerOptions options = new HttpServerOptions().setHost(config.bindHost());
    server = vertx.createHttpServer(security.serverTls() == null ? options
        : security.serverTls().applyTo(options));
    return server.requestHandler(router).listen(config.port());
  }

  int actualPort() {
    return server.actualPort();
  }

  /** Starts talking to the master; separate from start() so the advertised port is known. */
  void connect() {
    context.runOnContext(v -> recovered.onComplete(ar -> {
      connection = new MasterConnection(vertx, detector, agent::registration, agent::onMessage, () -> {},
          config.security().masterCredential(), config.security().masterTls());
      agent.attach(connection);
    }));
  }

  Agent agent() {
    return agent;
  }

  /** Kills every task, waiting up to {@code timeout} for their containers to be destroyed. */
  Future<Void> drain(Duration timeout) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      agent.killAll();
      long deadline = System.currentTimeMillis() + timeout.toMillis();
      vertx.setPeriodic(100, t -> {
        if (agent.allCleanedUp() || System.currentTimeMillis() > deadline) {
          vertx.cancelTimer(t);
          done.tryComplete();
        }
      });
    });
    return done.future();
  }

  private ObjectNode state() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    AgentInfo info = agent.info();
    root.put("id", info.id() == null ? "" : info.id().value());
    root.put("hostname", info.hostname());
    root.put("port", info.port());
    root.put("version", AgentServer.VERSION);
    root.put("runtime", containerizer.runtimeName());
    root.put("connected", agent.connected());
    root.set("resources", Json.toTree(info.resources()));
    root.set("attributes", Json.toTree(info.attributes()));
    ArrayNode tasks = root.putArray("tasks");
    for (TaskRunner t : agent.tasks()) {
      tasks.add(task(f, t));
    }
    ArrayNode completed = root.putArray("completed_tasks");
    for (TaskRunner t : agent.completedTasks()) {
      completed.add(task(f, t));
    }
    return root;
  }

  private static ObjectNode task(JsonNodeFactory f, TaskRunner t) {
    ObjectNode n = f.objectNode();
    n.put("id", t.task().taskId().value());
    n.put("name", t.task().name());
    n.put("framework_id", t.frameworkId().value());
    n.put("executor_id", t.task().taskId().value());
    n.put("container_id", t.containerId());
    n.put("state", t.state().name());
    n.put("directory", t.sandbox().toString());
    return n;
  }

  @Override
  public Future<?> stop() {
    if (connection != null) {
      connection.close();
    }
    if (updates != null) {
      updates.close();
    }
    Future<?> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
