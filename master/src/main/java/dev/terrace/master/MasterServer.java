package dev.terrace.master;

import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.MasterDetector;
import dev.terrace.discovery.ZkUrl;
import dev.terrace.master.election.LeaderContender;
import dev.terrace.master.election.StandaloneLeaderContender;
import dev.terrace.master.election.ZooKeeperLeaderContender;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running master: its own Vert.x instance, contender and detector. */
public final class MasterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MasterServer.class);

  private final Vertx vertx;
  private final MasterVerticle verticle;
  private final MasterDetector detector;

  private MasterServer(Vertx vertx, MasterVerticle verticle, MasterDetector detector) {
    this.vertx = vertx;
    this.verticle = verticle;
    this.detector = detector;
  }

  /**
   * Starts a master and returns once it listens (not necessarily leading). With a ZooKeeper URL
   * it contends for leadership; without one it leads alone.
   */
  public static MasterServer start(MasterConfig config) throws Exception {
    LeaderContender contender;
    MasterDetector detector;
    if (config.zkUrl() != null) {
      contender = new ZooKeeperLeaderContender(ZkUrl.parse(config.zkUrl()), config.zkSessionTimeout());
      detector = MasterDetector.forUrl(config.zkUrl());
    } else {
      contender = new StandaloneLeaderContender();
      detector = null;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    MasterVerticle verticle = new MasterVerticle(config, contender, detector, reason -> {
      if (config.exitOnLostLeadership()) {
        LOG.error("Exiting after losing leadership: {}", reason);
        System.exit(1);
      }
    });
    try {
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      if (detector != null) {
        detector.close();
      }
      throw e;
    }
    return new MasterServer(vertx, verticle, detector);
  }

  public MasterInfo info() {
    return verticle.info();
  }

  public int port() {
    return verticle.actualPort();
  }

  public String url() {
    return "http://" + info().hostname() + ":" + port();
  }

  /**
   * Connects an agent in-process: {@code toAgent} receives the master's messages on the master's
   * context (it must not block). The protocol is the agent channel's, minus the WebSocket.
   */
  public LocalAgentConnection openLocalAgentConnection(java.util.function.Consumer<String> toAgent) {
    return verticle.openLocalAgentConnection(toAgent);
  }

  public boolean isLeader() {
    return verticle.isLeader();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Master did not stop cleanly: {}", e.toString());
    }
    if (detector != null) {
      detector.close();
    }
  }
}
