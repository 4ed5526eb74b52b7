package dev.terrace.sdk.http;

import dev.terrace.discovery.ZkUrl;
import dev.terrace.discovery.ZooKeeperClients;
import dev.terrace.sdk.ha.FrameworkLeadership;
import dev.terrace.sdk.ha.ZkStateStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.Optional;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of a highly available framework: an HTTP server (API and UI) on its own port, a
 * seat in the election under the state path of {@code stateZk}, and, while it leads, a
 * {@link Reign} made from the fenced state store. Deposed, the reign is stopped at once.
 *
 * @param <R> what the framework runs while it leads (its controller)
 */
public final class HaInstance<R extends HaInstance.Reign> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HaInstance.class);

  /** Makes the reign of a newly elected instance; called on the election thread, so it may block. */
  public interface Election<R extends Reign> {
    /** {@code stepDown} gives leadership up (after a fenced write, say). */
    R lead(HaInstance<R> self, ZkStateStore store, Runnable stepDown) throws Exception;
  }

  /** What runs while an instance leads. */
  public interface Reign {
    /** Stops acting at once; the framework's tasks keep running for the next leader. */
    void stop();
  }

  private final Vertx vertx = Vertx.vertx();
  private final CuratorFramework zk;
  private final String advertisedHost;
  private HttpServer server;
  private FrameworkLeadership leadership;
  private volatile R reign;
  private boolean closed;

  private HaInstance(String stateZk, String advertisedHost) {
    this.advertisedHost = advertisedHost;
    this.zk = ZooKeeperClients.newClient(ZkUrl.parse(stateZk), ZooKeeperClients.DEFAULT_SESSION_TIMEOUT);
  }

  /**
   * Starts serving {@code routes} on {@code bindHost:port} and joins the election.
   *
   * @param elect makes the reign from the state store once this instance is elected
   */
  public static <R extends Reign> HaInstance<R> start(String stateZk, String bindHost, String advertisedHost,
      int port, Function<HaInstance<R>, Router> routes, Election<R> elect)
      throws Exception {
    HaInstance<R> h = new HaInstance<>(stateZk, advertisedHost);
    try {
      h.server = h.vertx.createHttpServer().requestHandler(routes.apply(h)).listen(port, bindHost).await();
      h.zk.start();
      h.leadership = new FrameworkLeadership(h.zk, ZkUrl.parse(stateZk).basePath(), h.url(),
          new FrameworkLeadership.Listener() {
            @Override
            public void elected(ZkStateStore store) {
              try {
                h.reign = elect.lead(h, store, () -> h.leadership.stepDown());
              } catch (Exception e) {
                LOG.error("Could not take over as leader: {}; stepping down", e.getMessage(), e);
                h.leadership.stepDown();
              }
            }

            @Override
            public void deposed() {
              h.endReign();
            }
          }).start();
      LOG.info("Framework instance at {}", h.url());
      return h;
    } catch (Exception e) {
      h.close();
      throw e;
    }
  }

  private void endReign() {
    R r = reign;
    reign = null;
    if (r != null) {
      r.stop();
    }
  }

  public Vertx vertx() {
    return vertx;
  }

  /** This instance's base URL, e.g. {@code http://10.0.0.5:5060}. */
  public String url() {
    return "http://" + advertisedHost + ":" + server.actualPort();
  }

  public Optional<R> reign() {
    return Optional.ofNullable(reign);
  }

  public boolean isLeader() {
    return reign != null;
  }

  /** The leading instance's URL, if one leads. Blocks on ZooKeeper. */
  public Optional<String> leaderUrl() {
    return leadership == null ? Optional.empty() : leadership.leaderId();
  }

  /** Stops this instance; another takes the framework over. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (leadership != null) {
      leadership.close();
    }
    endReign();
    zk.close();
    vertx.close().await();
  }
}
