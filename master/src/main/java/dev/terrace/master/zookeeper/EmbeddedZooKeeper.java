package dev.terrace.master.zookeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.server.NIOServerCnxnFactory;
import org.apache.zookeeper.server.NettyServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real standalone ZooKeeper server in this process, on the loopback interface, for single-host
 * development clusters and tests. It uses the server classes directly (as ZooKeeperServerMain
 * does) rather than curator-test, so it ships with the master and is the same code a production
 * ensemble runs.
 *
 * <p>It can be stopped and started again: a restart binds the same port (the one picked on first
 * start when 0 was asked for) and reloads the data directory, so clients reconnect to the same
 * connect string and find their data, as they would after a real server restart.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);
  private static final int TICK_MS = 500;
  private static final int MAX_CLIENT_CONNECTIONS = 1000;

  static {
    // Only ZooKeeperServerMain/QuorumPeerMain start the admin (Jetty) server, not the classes
    // used here; the property is defaulted off anyway so that nothing in this process that
    // builds one opens port 8080 next to ours.
    if (System.getProperty("zookeeper.admin.enableServer") == null) {
      System.setProperty("zookeeper.admin.enableServer", "false");
    }
  }

  private final Path dataDir;
  /** Serve TLS only (Netty), with the key store and trust store of this process's {@code zookeeper.ssl.*} properties. */
  private boolean secure;
  private int port;
  private ServerCnxnFactory factory;
  private ZooKeeperServer server;

  /**
   * @param port the client port, or 0 to pick a free one on first start
   * @param dataDir where snapshots and transaction logs go; kept across restarts
   */
  public EmbeddedZooKeeper(int port, Path dataDir) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    this.port = port;
    this.dataDir = dataDir;
  }

  /**
   * Serves TLS only, from the next start on: the server's key and certificate come from this
   * process's ZooKeeper TLS properties (see {@code dev.terrace.discovery.ZooKeeperTls}).
   */
  public synchronized EmbeddedZooKeeper secure() {
    this.secure = true;
    return this;
  }

  /** Starts the server; returns this for chaining. Starting a running server is an error. */
  public synchronized EmbeddedZooKeeper start() {
    if (server != null) {
      throw new IllegalStateException("already running on port " + port);
    }
    ZooKeeperServer zks = null;
    ServerCnxnFactory cnxnFactory = secure ? nettyFactory() : new NIOServerCnxnFactory();
    try {
      Files.createDirectories(dataDir);
      zks = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), TICK_MS);
      cnxnFactory.configure(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), port), MAX_CLIENT_CONNECTIONS, -1, secure);
      cnxnFactory.startup(zks); // loads the data directory, then accepts clients
    } catch (IOException e) {
      release(cnxnFactory, zks);
      throw new UncheckedIOException("cannot start ZooKeeper on port " + port, e);
    } catch (InterruptedException e) {
      release(cnxnFactory, zks);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted starting ZooKeeper", e);
    } catch (RuntimeException e) {
      release(cnxnFactory, zks);
      throw e;
    }
    this.port = cnxnFactory.getLocalPort();
    this.factory = cnxnFactory;
    this.server = zks;
    LOG.info("embedded ZooKeeper listening on {} with data in {}", connectString(), dataDir);
    return this;
  }

  /**
   * ZooKeeper's Netty factory (the one that speaks TLS) has no public constructor: ZooKeeper itself
   * makes it by reflection from {@code zookeeper.serverCnxnFactory}, and so do we, without setting
   * that process-wide property.
   */
  private static ServerCnxnFactory nettyFactory() {
    try {
      var constructor = NettyServerCnxnFactory.class.getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot make ZooKeeper's Netty server factory", e);
    }
  }

  /** Stops the server, closing client connections, its port and its threads; data stays. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    release(factory, server);
    factory = null;
    server = null;
    LOG.info("embedded ZooKeeper on port {} stopped", port);
  }

  private static void release(ServerCnxnFactory cnxnFactory, ZooKeeperServer zks) {
    // The factory's shutdown closes the port, joins its threads and shuts the server down
    // (sessions, request processors, JMX beans); the transaction log is ours to close, as
    // ZooKeeperServerMain does, or its file stays open and a restart would read a live log.
    cnxnFactory.shutdown();
    if (zks != null) {
      zks.shutdown();
      try {
        zks.getTxnLogFactory().close();
      } catch (IOException e) {
        LOG.warn("closing ZooKeeper transaction log", e);
      }
    }
  }

  public synchronized boolean isRunning() {
    return server != null && server.isRunning();
  }

  /** The client port; before the first start with port 0 this is 0. */
  public synchronized int port() {
    return port;
  }

  /** {@code 127.0.0.1:<port>}, for Curator or a {@code zk://} URL. */
  public String connectString() {
    return InetAddress.getLoopbackAddress().getHostAddress() + ":" + port();
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    stop();
  }
}
