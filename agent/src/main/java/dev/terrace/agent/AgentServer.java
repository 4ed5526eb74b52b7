package dev.terrace.agent;

import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.resources.ResourceDetector;
import dev.terrace.agent.sandbox.SandboxLayout;
import dev.terrace.agent.status.StatusUpdateManager;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.discovery.MasterDetector;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running agent: its Vert.x instance, HTTP API and channel to the master. */
public final class AgentServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AgentServer.class);
  public static final String VERSION = "0.1.0";

  private final Vertx vertx;
  private final AgentVerticle verticle;
  private final MasterDetector detector;
  private final Containerizer containerizer;
  private final java.nio.file.Path workDir;
  private boolean closed;

  private AgentServer(Vertx vertx, AgentVerticle verticle, MasterDetector detector,
      Containerizer containerizer, java.nio.file.Path workDir) {
    this.workDir = workDir;
    this.vertx = vertx;
    this.verticle = verticle;
    this.detector = detector;
    this.containerizer = containerizer;
  }

  /** Starts an agent that runs its tasks through {@code containerizer} and registers. */
  public static AgentServer start(AgentConfig config, Containerizer containerizer,
      Duration statusRetry) throws Exception {
    return start(config, containerizer, statusRetry,
        dev.terrace.agent.sandbox.SandboxSettings.defaults());
  }

  /** As above, with log rotation and sandbox garbage collection as {@code sandboxes} says. */
  public static AgentServer start(AgentConfig config, Containerizer containerizer,
      Duration statusRetry, dev.terrace.agent.sandbox.SandboxSettings sandboxes)
      throws Exception {
    config.security().checkExposure(config.bindHost());
    SandboxLayout layout = new SandboxLayout(config.workDir());
    var resources = ResourceDetector.detect(config.workDir(), config.resources());
    var attributes = ResourceParser.parseAttributes(config.attributes());
    var recoveredId = Agent.readAgentId(layout);
    var recoveredUpdates = StatusUpdateManager.readCheckpoints(layout.statusUpdatesDir());
    var recoveredTasks = Agent.readTaskCheckpoints(layout);
    var keeper = new SandboxKeeper(layout, sandboxes);
    var executorTokens = dev.terrace.agent.executor.ExecutorTokens.load(layout.executorTokenKey());
    MasterDetector detector = MasterDetector.forUrl(config.masterUrl());
    Vertx vertx = Vertx.vertx();
    // The port goes into AgentInfo, so bind first when asked for an ephemeral one.
    int advertisedPort = config.advertisedPort() != null ? config.advertisedPort() : config.port();
    AgentInfo info = new AgentInfo(config.advertisedHost(), advertisedPort, resources, attributes, null);
    AgentVerticle verticle = new AgentVerticle(config, info, containerizer, detector, recoveredId,
        recoveredUpdates, recoveredTasks, statusRetry, keeper, executorTokens);
    try {
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      detector.close();
      throw e;
    }
    if (config.port() == 0 && config.advertisedPort() == null) {
      verticle.agent().setPort(verticle.actualPort());
    }
    LOG.info("Agent listening on {}:{}, reached at {}:{}, with {} (runtime {})", config.bindHost(),
        verticle.actualPort(), config.advertisedHost(), verticle.agent().info().port(), dev.terrace.common.resources.Resources.of(resources),
        containerizer.runtimeName());
    verticle.connect();
    return new AgentServer(vertx, verticle, detector, containerizer, config.workDir());
  }

  public int port() {
    return verticle.actualPort();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  public java.nio.file.Path workDir() {
    return workDir;
  }

  public Agent agent() {
    return verticle.agent();
  }

  /** Kills all tasks (their containers are destroyed), then stops. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      verticle.drain(Duration.ofSeconds(20)).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Tasks did not all stop: {}", e.toString());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Agent did not stop cleanly: {}", e.toString());
    }
    detector.close();
    containerizer.close();
  }

  /**
   * Stops without killing tasks, as a crash or an upgrade would (for recovery tests): what dies
   * with the process (its threads, its exit watch) stops; containers and checkpoints stay.
   */
  public synchronized void abandon() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Agent did not stop cleanly: {}", e.toString());
    }
    detector.close();
    containerizer.close();
  }
}
