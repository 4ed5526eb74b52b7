package dev.terrace.master;

import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.MasterDetector;
import dev.terrace.discovery.ZkUrl;
import dev.terrace.discovery.ZooKeeperClients;
import dev.terrace.master.registry.InMemoryRegistry;
import dev.terrace.master.registry.Registry;
import dev.terrace.master.registry.ZooKeeperRegistry;
import org.apache.curator.framework.CuratorFramework;
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
  private final CuratorFramework registryClient;

  private MasterServer(Vertx vertx, MasterVerticle verticle, MasterDetector detector,
      CuratorFramework registryClient) {
    this.registryClient = registryClient;
    this.vertx = vertx;
    this.verticle = verticle;
    this.detector = detector;
  }

  /**
   * Starts a master and returns once it listens (not necessarily leading). With a ZooKeeper URL
   * it contends for leadership; without one it leads alone.
   */
  public static MasterServer start(MasterConfig config) throws Exception {
    java.util.function.Supplier<LeaderContender> contenders;
    java.util.function.Supplier<java.util.concurrent.CompletionStage<Registry>> registries;
    MasterDetector detector;
    CuratorFramework registryClient;
    if (config.zkUrl() != null) {
      ZkUrl url = ZkUrl.parse(config.zkUrl());
      contenders = () -> new ZooKeeperLeaderContender(url, config.zkSessionTimeout());
      detector = MasterDetector.forUrl(config.zkUrl());
      // The registry gets its own session: its writes are fenced by the leader epoch, not by
      // the contender's session (see ZooKeeperRegistry).
      registryClient = ZooKeeperClients.newClient(url, config.zkSessionTimeout());
      registryClient.start();
      registries = () -> ZooKeeperRegistry.open(registryClient, url.basePath())
          .thenApply(r -> (Registry) r);
    } else {
      // A standalone master leads alone for the life of its process; its registry lives as long.
      InMemoryRegistry inMemory = new InMemoryRegistry();
      contenders = StandaloneLeaderContender::new;
      registries = () -> java.util.concurrent.CompletableFuture.completedFuture(inMemory);
      detector = null;
      registryClient = null;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    MasterVerticle verticle = new MasterVerticle(config, config.advertisedIp() != null
        ? config.advertisedIp() : resolveIp(config.advertisedHost()),
        contenders, registries, detector, reason -> {
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
      if (registryClient != null) {
        registryClient.close();
      }
      throw e;
    }
    return new MasterServer(vertx, verticle, detector, registryClient);
  }

  private static String resolveIp(String host) {
    try {
      return java.net.InetAddress.getByName(host).getHostAddress();
    } catch (java.net.UnknownHostException e) {
      LOG.warn("Cannot resolve the advertised host {}; advertising it as is", host);
      return host;
    }
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
    if (registryClient != null) {
      registryClient.close();
    }
  }
}
