package dev.terrace.master.election;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.LeaderPaths;
import dev.terrace.discovery.ZkUrl;
import dev.terrace.discovery.ZooKeeperClients;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Election through a Curator {@link LeaderLatch} at {@code <base>/leader}. The participant id is
 * this master's {@link MasterInfo} as JSON, which LeaderLatch stores as the data of its ephemeral
 * sequential node; {@code ZooKeeperMasterDetector} reads it from the lowest node, the same one the
 * latch considers leader.
 *
 * <p>Why a dropped connection counts as lost leadership at once: the client is built with
 * Curator's {@code StandardConnectionStateErrorPolicy}, under which SUSPENDED (connection lost,
 * session possibly still alive) is an error state, and LeaderLatch then sets its leadership to
 * false and calls {@code notLeader} right away instead of waiting for LOST. That ordering is what
 * makes a single leader safe: the ZooKeeper client notices the silence after about two thirds of
 * the session timeout, while the server only expires the session, deletes our node and lets a
 * standby win after the full timeout. So the old leader steps down before the new one is elected.
 * With {@code SessionConnectionStateErrorPolicy} it would keep leading until LOST, overlapping
 * with its successor; {@link #start} refuses such a client.
 *
 * <p>If the connection comes back within the same session, the latch re-checks and, if its node
 * is still the lowest, calls {@code isLeader} again: the listener hears {@code elected} anew.
 */
public final class ZooKeeperLeaderContender implements LeaderContender {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderContender.class);

  private final ZkUrl url;
  private final CuratorFramework client;
  private final ExecutorService callbacks;

  private volatile boolean closing;
  private volatile LeaderLatch latch;

  public ZooKeeperLeaderContender(ZkUrl url) {
    this(url, ZooKeeperClients.DEFAULT_SESSION_TIMEOUT);
  }

  public ZooKeeperLeaderContender(ZkUrl url, Duration sessionTimeout) {
    this.url = url;
    this.client = ZooKeeperClients.newClient(url, sessionTimeout);
    this.callbacks = ContenderThreads.newCallbackThread("leader-contender " + url);
  }

  @Override
  public synchronized void start(MasterInfo self, LeadershipListener listener) {
    if (latch != null || closing) {
      throw new IllegalStateException("already started or closed");
    }
    if (!client.getConnectionStateErrorPolicy().isErrorState(ConnectionState.SUSPENDED)) {
      throw new IllegalStateException(
          "the ZooKeeper client must treat SUSPENDED as an error, or a disconnected leader keeps"
              + " leading until its session expires");
    }
    client.start();

    LeaderLatch newLatch =
        new LeaderLatch(
            client,
            LeaderPaths.leaderPath(url.basePath()),
            Json.toString(self),
            // Closing while leading calls notLeader, so the listener hears lost("contender
            // closed") like any other loss instead of having to special-case its own close.
            LeaderLatch.CloseMode.NOTIFY_LEADER);
    // No executor here: the listener runs on the Curator thread that changed leadership, where
    // the reason is still known, and only hands the callback to our single callback thread.
    newLatch.addListener(
        new LeaderLatchListener() {
          @Override
          public void isLeader() {
            LOG.info("master {} elected leader at {}", self.id(), url);
            dispatch(listener::elected);
          }

          @Override
          public void notLeader() {
            String reason = reasonForLoss();
            LOG.warn("master {} lost leadership: {}", self.id(), reason);
            dispatch(() -> listener.lost(reason));
          }
        });
    latch = newLatch;
    try {
      newLatch.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot join the election at " + url, e);
    }
  }

  private String reasonForLoss() {
    if (closing) {
      return "contender closed";
    }
    // Not a connection-state listener of our own: Curator keeps listeners in a hash map, so
    // ours may run after the latch's and still show the old state. The client's connected flag
    // is updated on the ZooKeeper event thread before Curator even queues SUSPENDED or LOST.
    if (!client.getZookeeperClient().isConnected()) {
      return "ZooKeeper connection suspended or lost";
    }
    return "leader node no longer the lowest (deleted or session reset)";
  }

  private void dispatch(Runnable callback) {
    callbacks.execute(
        () -> {
          try {
            callback.run();
          } catch (RuntimeException e) {
            LOG.error("leadership listener failed", e);
          }
        });
  }

  @Override
  public boolean isLeader() {
    LeaderLatch current = latch;
    // hasLeadership flips to false inside Curator before notLeader is even called.
    return current != null && current.hasLeadership();
  }

  @Override
  public synchronized void close() {
    if (closing) {
      return;
    }
    closing = true;
    LeaderLatch current = latch;
    if (current != null) {
      try {
        // Deletes our node (in the background) and, in NOTIFY_LEADER mode, calls notLeader.
        current.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("closing leader latch at {}", url, e);
      }
    }
    // Closing the client ends the session, and the server deletes ephemeral nodes as part of
    // closing it, so our node is gone by the time this returns even if the background delete
    // above had not run yet: standbys see it go at once rather than after a session timeout.
    client.close();
    callbacks.shutdown(); // queued callbacks (the final lost) still run, in order
  }
}
