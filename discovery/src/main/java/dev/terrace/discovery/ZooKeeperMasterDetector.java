package dev.terrace.discovery;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.MasterInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the leader elected by Curator {@code LeaderLatch}es at {@code <base>/leader}.
 *
 * <p>Each contender owns one ephemeral sequential child named like {@code
 * _c_<uuid>-latch-0000000003} whose data is its participant id, which Terrace masters set to their
 * {@link MasterInfo} JSON. The latch leader is the child with the lowest sequence number; this
 * class applies the same rule to a {@link CuratorCache} of the children, so it names exactly the
 * master whose latch says it leads.
 *
 * <p>All state below is confined to one detector thread: cache and connection events, listener
 * registration and notification are serialized there, so a listener never misses or reorders a
 * change.
 */
public final class ZooKeeperMasterDetector implements MasterDetector {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasterDetector.class);
  /** The node-name marker LeaderLatch puts before the sequence number. */
  static final String LATCH_MARKER = "latch-";

  private final String leaderPath;
  private final CuratorFramework client;
  private final CuratorCache cache;
  private final ExecutorService executor;
  private volatile boolean closed;

  // Confined to the detector thread.
  private final List<Consumer<Optional<MasterInfo>>> listeners = new ArrayList<>();
  private final List<CompletableFuture<MasterInfo>> waiters = new ArrayList<>();
  private final Set<String> reportedGarbage = new HashSet<>();
  private boolean sessionLost;

  // Written on the detector thread, read anywhere.
  private volatile Optional<MasterInfo> leader = Optional.empty();

  public ZooKeeperMasterDetector(ZkUrl url) {
    this(url, ZooKeeperClients.DEFAULT_SESSION_TIMEOUT);
  }

  public ZooKeeperMasterDetector(ZkUrl url, Duration sessionTimeout) {
    this.leaderPath = LeaderPaths.leaderPath(url.basePath());
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "master-detector " + url);
              t.setDaemon(true);
              return t;
            });
    this.client = ZooKeeperClients.newClient(url, sessionTimeout);
    this.cache = CuratorCache.build(client, leaderPath);
    // Hand every event to our own thread; Curator's threads only enqueue.
    cache.listenable().addListener((type, oldData, data) -> submit(this::recompute));
    client
        .getConnectionStateListenable()
        .addListener((c, state) -> submit(() -> onConnectionState(state)));
    client.start();
    cache.start();
  }

  @Override
  public Optional<MasterInfo> leader() {
    return leader;
  }

  @Override
  public CompletableFuture<MasterInfo> awaitLeader() {
    Optional<MasterInfo> now = leader;
    if (now.isPresent()) {
      return CompletableFuture.completedFuture(now.get());
    }
    CompletableFuture<MasterInfo> future = new CompletableFuture<>();
    // Decided on the detector thread so that a leader published meanwhile is not missed.
    boolean queued =
        submit(
            () -> {
              if (leader.isPresent()) {
                future.complete(leader.get());
              } else if (closed) {
                future.completeExceptionally(new IllegalStateException("master detector closed"));
              } else {
                waiters.add(future);
              }
            });
    if (!queued) {
      future.completeExceptionally(new IllegalStateException("master detector is closed"));
    }
    return future;
  }

  @Override
  public void addListener(Consumer<Optional<MasterInfo>> listener) {
    Objects.requireNonNull(listener, "listener");
    boolean queued =
        submit(
            () -> {
              listeners.add(listener);
              call(listener, leader);
            });
    if (!queued) {
      throw new IllegalStateException("master detector is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Queued after `closed` is set: waits queued before this are failed here, later ones see
    // `closed` themselves, so nobody waits forever.
    executor.execute(
        () -> {
          waiters.forEach(
              f -> f.completeExceptionally(new IllegalStateException("master detector closed")));
          waiters.clear();
        });
    executor.shutdown();
    cache.close();
    client.close();
  }

  private boolean submit(Runnable task) {
    if (closed) {
      return false;
    }
    try {
      executor.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // closed meanwhile; late Curator events are simply dropped
    }
  }

  private void onConnectionState(ConnectionState state) {
    switch (state) {
      case LOST -> {
        // The session is gone, so the cached children may name a master that is gone too, and
        // we cannot see a new one: say "no leader" rather than point clients at a stale one.
        sessionLost = true;
        publish(Optional.empty());
      }
      case CONNECTED, RECONNECTED -> {
        sessionLost = false;
        recompute(); // the cache resyncs after this and sends events for what changed
      }
      default -> {
        // SUSPENDED: keep the last leader. A short network blip should not make every agent
        // and framework believe there is no master; if it lasts, LOST follows.
      }
    }
  }

  private void recompute() {
    if (sessionLost) {
      return;
    }
    Optional<ChildData> lowest =
        cache.stream()
            .filter(this::isLatchNode)
            .min(Comparator.comparingLong((ChildData d) -> sequence(name(d))));
    publish(lowest.flatMap(this::parse));
  }

  private boolean isLatchNode(ChildData data) {
    if (!ZKPaths.getPathAndNode(data.getPath()).getPath().equals(leaderPath)) {
      return false; // the leader node itself, or something deeper
    }
    String name = name(data);
    if (sequence(name) < 0) {
      if (reportedGarbage.add(data.getPath())) {
        LOG.warn("ignoring {}: not a leader latch node (no '{}<sequence>')", data.getPath(), LATCH_MARKER);
      }
      return false;
    }
    return true;
  }

  /**
   * The sequence number after the last {@code latch-}, or -1 if there is none. LeaderLatch sorts by
   * that same suffix (zero-padded, so numeric and textual order agree).
   */
  static long sequence(String nodeName) {
    int at = nodeName.lastIndexOf(LATCH_MARKER);
    if (at < 0) {
      return -1;
    }
    String digits = nodeName.substring(at + LATCH_MARKER.length());
    if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The leader's MasterInfo, or empty if its data is not one. We deliberately do not fall back to
   * the next participant: it is a standby and does not consider itself leader, so naming it would
   * send clients round a redirect loop. Reporting no leader is the honest answer.
   */
  private Optional<MasterInfo> parse(ChildData data) {
    byte[] bytes = data.getData();
    try {
      if (bytes == null || bytes.length == 0) {
        throw new IllegalArgumentException("no data");
      }
      return Optional.of(Json.parse(bytes, MasterInfo.class));
    } catch (RuntimeException e) {
      if (reportedGarbage.add(data.getPath() + "@" + data.getStat().getMzxid())) {
        LOG.warn(
            "leader node {} does not hold a MasterInfo ({}); reporting no leader",
            data.getPath(),
            e.getMessage());
      }
      return Optional.empty();
    }
  }

  private void publish(Optional<MasterInfo> next) {
    if (next.equals(leader)) {
      return;
    }
    leader = next;
    LOG.info("leading master: {}", next.map(MasterInfo::baseUrl).orElse("none"));
    for (Consumer<Optional<MasterInfo>> listener : listeners) {
      call(listener, next);
    }
    if (next.isPresent()) {
      waiters.forEach(f -> f.complete(next.get()));
      waiters.clear();
    }
  }

  private static void call(Consumer<Optional<MasterInfo>> listener, Optional<MasterInfo> value) {
    try {
      listener.accept(value);
    } catch (RuntimeException e) {
      LOG.warn("master detector listener failed", e);
    }
  }

  private static String name(ChildData data) {
    return ZKPaths.getNodeFromPath(data.getPath());
  }
}
