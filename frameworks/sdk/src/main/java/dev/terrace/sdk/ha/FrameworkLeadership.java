package dev.terrace.sdk.ha;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election among the instances of one framework, and the fenced state store the leader
 * writes through. Layout under {@code base}: {@code leader/} (a Curator LeaderLatch; each
 * participant's id is what the instance wants to be found by, e.g. its API URL), {@code epoch}
 * (bumped by each new leader) and {@code state/} (the {@link ZkStateStore}).
 *
 * <p>Losing the ZooKeeper connection means losing leadership at once (the client's connection
 * state policy treats SUSPENDED as an error), and {@link Listener#deposed} is called: the instance
 * must stop acting. The latch rejoins by itself when the connection comes back.
 */
public final class FrameworkLeadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FrameworkLeadership.class);

  /** Told about leadership on one thread of this class's own, in order. */
  public interface Listener {
    /** This instance leads now; {@code store} writes only while it keeps leading. */
    void elected(ZkStateStore store);

    /** This instance no longer leads (or never got to): stop launching, killing and writing. */
    void deposed();
  }

  private final CuratorFramework zk;
  private final String base;
  private final String participantId;
  private final Listener listener;
  private final ExecutorService thread;
  private LeaderLatch latch;
  private boolean leading;
  private volatile boolean closed;

  public FrameworkLeadership(CuratorFramework zk, String base, String participantId, Listener listener) {
    this.zk = zk;
    this.base = base;
    this.participantId = participantId;
    this.listener = listener;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "terrace-leadership");
      t.setDaemon(true);
      return t;
    });
  }

  /** Joins the election. */
  public synchronized FrameworkLeadership start() throws Exception {
    latch = newLatch();
    latch.start();
    return this;
  }

  /** The id of the current leader (maybe this one), if ZooKeeper knows one. Blocks on ZooKeeper. */
  public Optional<String> leaderId() {
    LeaderLatch l;
    synchronized (this) {
      l = latch;
    }
    try {
      Participant p = l.getLeader();
      return p.isLeader() ? Optional.of(p.getId()) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  public String participantId() {
    return participantId;
  }

  /**
   * Gives up leadership (after a {@link FencedException}, say) and joins the election again as a
   * follower. {@link Listener#deposed} is called if this instance led.
   */
  public void stepDown() {
    thread.execute(() -> {
      synchronized (this) {
        if (closed) {
          return;
        }
        try {
          latch.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
          latch = newLatch();
          latch.start();
        } catch (Exception e) {
          LOG.warn("Rejoining the election failed: {}", e.getMessage());
        }
      }
    });
  }

  private LeaderLatch newLatch() {
    LeaderLatch l = new LeaderLatch(zk, base + "/leader", participantId, LeaderLatch.CloseMode.NOTIFY_LEADER);
    l.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        thread.execute(() -> becameLeader(l));
      }

      @Override
      public void notLeader() {
        thread.execute(FrameworkLeadership.this::lostLeadership);
      }
    }, thread);
    return l;
  }

  private void becameLeader(LeaderLatch l) {
    if (closed || !l.hasLeadership() || leading) {
      return;
    }
    try {
      int epoch = bumpEpoch();
      leading = true;
      LOG.info("{} leads the framework under {} (epoch {})", participantId, base, epoch);
      listener.elected(new ZkStateStore(zk, base + "/state", base + "/epoch", epoch));
    } catch (Exception e) {
      LOG.warn("{} was elected but could not take over: {}; stepping down", participantId, e.getMessage());
      stepDown();
    }
  }

  private void lostLeadership() {
    if (!leading) {
      return;
    }
    leading = false;
    LOG.warn("{} no longer leads the framework under {}", participantId, base);
    listener.deposed();
  }

  /** Moves the epoch on, so that a deposed leader's next write fails; returns the new version. */
  private int bumpEpoch() throws Exception {
    String path = base + "/epoch";
    while (true) {
      Stat stat = zk.checkExists().forPath(path);
      if (stat == null) {
        try {
          zk.create().creatingParentsIfNeeded().forPath(path, new byte[0]);
        } catch (KeeperException.NodeExistsException ignored) {
          // another instance created it first
        }
        continue;
      }
      try {
        Stat after = zk.setData().withVersion(stat.getVersion())
            .forPath(path, participantId.getBytes(StandardCharsets.UTF_8));
        return after.getVersion();
      } catch (KeeperException.BadVersionException raced) {
        // a concurrent bump: read again
      }
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (latch != null) {
          latch.close(LeaderLatch.CloseMode.NOTIFY_LEADER);
        }
      } catch (Exception e) {
        LOG.debug("Closing the leader latch: {}", e.getMessage());
      }
    }
    thread.execute(this::lostLeadership);
    thread.shutdown();
  }
}
