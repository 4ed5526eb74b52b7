package dev.terrace.master.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.CuratorTransactionResult;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in ZooKeeper, one znode per entity (layout in {@link RegistryLayout}), written by
 * the leader only, with fenced writes.
 *
 * <h2>Fencing: why a leader epoch and not the ZooKeeper session</h2>
 *
 * Leadership is an ephemeral node of the leader's session, so it is tempting to let the session
 * guard the writes. It cannot: a leader may be paused (a long GC, SIGSTOP, a frozen VM) past its
 * session timeout while it is about to write. The server expires the session, a standby is
 * elected, and when the old leader resumes it still believes it leads until its client notices;
 * meanwhile Curator reconnects with a <em>new</em> session (or retries a request that was in
 * flight), and a write under that new session is perfectly valid to ZooKeeper. Nothing about the
 * session says "this writer was deposed".
 *
 * <p>So the registry carries its own fence, the <b>leader epoch</b>: the data version of {@code
 * <base>/registry/epoch}. {@link #open} (called by each newly elected leader) bumps it with a
 * versioned setData (read version v, set with expected version v, retry on BadVersion), so every
 * opening gets a distinct, increasing version, and remembers it. <b>Every write is one ZooKeeper
 * transaction whose first operation is {@code check(epoch, myVersion)}</b> (see {@link #commit}).
 * ZooKeeper applies a transaction atomically and in its single total order, so once a newer
 * leader's bump has committed, every later transaction of an older leader fails as a whole at that
 * check, with nothing applied, whatever its session, connection or retries. That is the
 * guarantee: <em>after a newer leader has opened the registry, no write of an older one can land;
 * a newer leader's recovery therefore reads a state no deposed leader can change</em>. A
 * BadVersion (or NoNode) at the check becomes {@link FencedException}, and the registry stays
 * fenced for good (all queued and later writes fail the same way).
 *
 * <p>The epoch node must never be deleted: a recreated node restarts at version 0 and could match
 * an old leader's remembered version again. Deleting the registry means restarting every master.
 *
 * <h2>Writes</h2>
 *
 * Units of work are queued and committed one transaction at a time, in call order. Units that
 * arrive while a transaction is in flight go out together in the next one (group commit, bounded
 * in operations and bytes), so that thousands of agents registering at once cost tens of round
 * trips, not thousands; a failed transaction fails every unit in it. Which znodes exist is tracked
 * in a {@link ZnodeIndex}, so that no write needs a read first.
 *
 * <p>The caller owns the Curator client: it must be started, and it is not closed here. Results
 * complete on the client's callback thread.
 */
public final class ZooKeeperRegistry extends AbstractRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperRegistry.class);

  /**
   * A transaction is one request, and ZooKeeper drops connections that send requests larger than
   * its jute.maxbuffer (1 MB by default); stay well below it, per unit and per batch.
   */
  static final int MAX_BATCH_BYTES = 512 * 1024;

  static final int MAX_BATCH_CHANGES = 1000;

  private final CuratorFramework client;
  private final RegistryLayout layout;
  private final int epochVersion;

  // Guarded by this. `committing` is true while a commit chain runs; only that chain touches
  // `index` (null when it must be reloaded) between taking a batch and finishing it.
  private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
  private boolean committing;
  private boolean fenced;
  private ZnodeIndex index;

  private ZooKeeperRegistry(
      CuratorFramework client,
      RegistryLayout layout,
      int epochVersion,
      ZnodeIndex index,
      int completedFrameworksLimit,
      Clock clock) {
    super(completedFrameworksLimit, clock);
    this.client = client;
    this.layout = layout;
    this.epochVersion = epochVersion;
    this.index = index;
  }

  /** {@link #open(CuratorFramework, String, int, Clock)} keeping the last 1000 completed frameworks. */
  public static CompletionStage<ZooKeeperRegistry> open(CuratorFramework client, String basePath) {
    return open(client, basePath, DEFAULT_COMPLETED_FRAMEWORKS, Clock.systemUTC());
  }

  /**
   * Opens the registry under {@code basePath} for a newly elected leader: creates the layout if
   * missing, bumps the leader epoch (which fences every registry opened before this one) and
   * loads the index of existing znodes. Call it once per term, after winning the election.
   */
  public static CompletionStage<ZooKeeperRegistry> open(
      CuratorFramework client, String basePath, int completedFrameworksLimit, Clock clock) {
    Objects.requireNonNull(client, "client");
    RegistryLayout layout = new RegistryLayout(basePath);
    return ensureLayout(client, layout, clock)
        .thenCompose(done -> bumpEpoch(client, layout, clock))
        .thenCompose(
            version ->
                ZnodeIndex.load(client, layout)
                    .thenApply(
                        index -> {
                          LOG.info("registry {} opened at leader epoch {}", layout.registry(), version);
                          return new ZooKeeperRegistry(
                              client, layout, version, index, completedFrameworksLimit, clock);
                        }))
        .exceptionally(
            error -> {
              throw new RegistryException(
                  "cannot open the registry at " + layout.registry(), CuratorStages.unwrap(error));
            });
  }

  /** The leader epoch this registry writes under (the epoch znode's data version). */
  public int epoch() {
    return epochVersion;
  }

  /** Whether a write has found this registry fenced by a newer leader. */
  public synchronized boolean isFenced() {
    return fenced;
  }

  /**
   * Reads every folder, all reads in flight at once. Reads are not fenced (a deposed leader reading
   * harms no one) and not one snapshot across folders; they need not be, since after {@link #open}
   * only this registry writes, and the contract is to recover before writing.
   */
  @Override
  public CompletionStage<RegistrySnapshot> recover() {
    Map<EntityKind, CompletableFuture<List<ZnodeReader.Entry>>> reads = new EnumMap<>(EntityKind.class);
    for (EntityKind kind : EntityKind.values()) {
      reads.put(kind, ZnodeReader.entries(client, layout.folder(kind)));
    }
    return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              SnapshotBuilder builder = new SnapshotBuilder();
              reads.forEach(
                  (kind, read) -> {
                    // Oldest first, which is the order the completed frameworks must be added in.
                    for (ZnodeReader.Entry entry : read.join()) {
                      builder.add(
                          kind,
                          ZnodeNames.decode(entry.name()),
                          entry.data(),
                          layout.nodeByName(kind, entry.name()));
                    }
                  });
              return builder.build();
            })
        .exceptionally(
            error -> {
              Throwable cause = CuratorStages.unwrap(error);
              if (cause instanceof RegistryException re) {
                throw re;
              }
              throw new RegistryException("cannot read the registry at " + layout.registry(), cause);
            });
  }

  @Override
  protected CompletionStage<Void> apply(String what, List<Change> changes) {
    PendingWrite write = new PendingWrite(what, changes);
    if (write.bytes > MAX_BATCH_BYTES) {
      throw new IllegalArgumentException(
          "registry write '" + what + "' is " + write.bytes + " bytes, more than " + MAX_BATCH_BYTES);
    }
    boolean start;
    synchronized (this) {
      if (fenced) {
        return CompletableFuture.failedFuture(fencedError(what));
      }
      queue.add(write);
      start = !committing;
      committing = true;
    }
    if (start) {
      commitNext();
    }
    // A copy, so that no caller can complete the future the commit chain completes.
    return write.done.copy();
  }

  /** Takes the next batch and commits it; when it is done, the next one; until the queue is empty. */
  private void commitNext() {
    List<PendingWrite> batch;
    ZnodeIndex current;
    List<PendingWrite> doomed = null;
    synchronized (this) {
      if (fenced) {
        // Once fenced, always fenced: fail what is queued without asking ZooKeeper again.
        doomed = new ArrayList<>(queue);
        queue.clear();
        committing = false;
      }
    }
    if (doomed != null) {
      // Outside the lock, so that dependents of these futures never run while holding it.
      doomed.forEach(w -> w.done.completeExceptionally(fencedError(w.what)));
      return;
    }
    synchronized (this) {
      if (queue.isEmpty()) {
        committing = false;
        return;
      }
      batch = takeBatch();
      current = index;
      index = null; // until this batch is known to have committed, the index is in doubt
    }
    CompletableFuture<ZnodeIndex> ready =
        current != null ? CompletableFuture.completedFuture(current) : ZnodeIndex.load(client, layout);
    ready
        .thenCompose(loaded -> commit(loaded, batch).thenApply(done -> loaded))
        .whenComplete(
            (committed, error) -> {
              finish(batch, committed, error);
              commitNext();
            });
  }

  private List<PendingWrite> takeBatch() {
    List<PendingWrite> batch = new ArrayList<>();
    int changes = 0;
    int bytes = 0;
    while (!queue.isEmpty()) {
      PendingWrite next = queue.peek();
      boolean fits =
          changes + next.changes.size() <= MAX_BATCH_CHANGES && bytes + next.bytes <= MAX_BATCH_BYTES;
      if (!batch.isEmpty() && !fits) {
        break;
      }
      batch.add(queue.poll());
      changes += next.changes.size();
      bytes += next.bytes;
    }
    return batch;
  }

  /**
   * Commits a batch as ONE transaction that starts with the epoch check. This is where the fence
   * is enforced: if a newer leader has bumped the epoch since we opened, ZooKeeper fails the check
   * and with it the whole transaction, applying none of it.
   */
  private CompletableFuture<Void> commit(ZnodeIndex target, List<PendingWrite> batch) {
    List<CuratorOp> ops = new ArrayList<>();
    try {
      TransactionOp op = client.transactionOp();
      ops.add(op.check().withVersion(epochVersion).forPath(layout.epoch()));
      for (PendingWrite write : batch) {
        for (Change change : write.changes) {
          target.addOps(change, completedFrameworksLimit, layout, op, ops);
        }
      }
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
    return CuratorStages.call(cb -> client.transaction().inBackground(cb).forOperations(ops))
        .thenAccept(this::requireCommitted);
  }

  private void requireCommitted(CuratorEvent event) {
    int rc = event.getResultCode();
    if (rc == KeeperException.Code.OK.intValue()) {
      return;
    }
    KeeperException.Code code = KeeperException.Code.get(rc);
    int failedOp = firstFailedOp(event.getOpResults());
    // The epoch check is operation 0. BadVersion there: a newer leader bumped the epoch. NoNode:
    // the epoch node is gone, so we cannot prove we lead either. No other operation of ours can
    // fail with BadVersion (they are unversioned), so without per-operation results that code
    // alone identifies the check too.
    boolean epochCheckFailed =
        (failedOp == 0 && (code == KeeperException.Code.BADVERSION || code == KeeperException.Code.NONODE))
            || (failedOp < 0 && code == KeeperException.Code.BADVERSION);
    if (epochCheckFailed) {
      throw new FencedException(
          "a newer leader has opened the registry at " + layout.registry()
              + " (our epoch " + epochVersion + " is stale)");
    }
    String path = failedOp >= 0 ? event.getOpResults().get(failedOp).getForPath() : event.getPath();
    throw new CompletionException(KeeperException.create(code, path));
  }

  /** In a failed transaction the failing operation is the one whose error is neither OK nor the
   * "rolled back" marker ZooKeeper gives the operations after it. */
  private static int firstFailedOp(List<CuratorTransactionResult> results) {
    if (results == null) {
      return -1;
    }
    for (int i = 0; i < results.size(); i++) {
      int error = results.get(i).getError();
      if (error != KeeperException.Code.OK.intValue()
          && error != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
        return i;
      }
    }
    return -1;
  }

  private void finish(List<PendingWrite> batch, ZnodeIndex committed, Throwable error) {
    if (error == null) {
      synchronized (this) {
        index = committed;
      }
      batch.forEach(w -> w.done.complete(null));
      return;
    }
    Throwable cause = CuratorStages.unwrap(error);
    if (cause instanceof FencedException) {
      synchronized (this) {
        fenced = true;
      }
      LOG.warn("registry {} fenced at epoch {}: {}", layout.registry(), epochVersion, cause.getMessage());
      batch.forEach(w -> w.done.completeExceptionally(fencedError(w.what)));
      return;
    }
    // The index stays null: the next batch reloads it, since we do not know what committed.
    LOG.warn("registry write of {} units failed", batch.size(), cause);
    batch.forEach(
        w ->
            w.done.completeExceptionally(
                new RegistryException(
                    "registry write '" + w.what + "' failed; it may or may not have been applied",
                    cause)));
  }

  private FencedException fencedError(String what) {
    return new FencedException(
        "registry write '" + what + "' refused: a newer leader has opened the registry at "
            + layout.registry() + " since this master opened it at epoch " + epochVersion
            + "; this master was deposed and must stop acting as leader");
  }

  private static CompletableFuture<Void> ensureLayout(
      CuratorFramework client, RegistryLayout layout, Clock clock) {
    // PERSISTENT parents, never containers: the server deletes an empty container node, and an
    // empty folder (no quota yet, say) is a normal state of the registry.
    return createIfMissing(client, layout.registry(), new byte[0], true)
        .thenCompose(
            done -> {
              List<CompletableFuture<Void>> creates = new ArrayList<>();
              creates.add(
                  createIfMissing(
                      client, layout.epoch(), RegistryJson.toBytes(new EpochRecord(0, clock.instant())), false));
              for (EntityKind kind : EntityKind.values()) {
                creates.add(createIfMissing(client, layout.folder(kind), new byte[0], false));
              }
              return CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new));
            });
  }

  private static CompletableFuture<Void> createIfMissing(
      CuratorFramework client, String path, byte[] data, boolean withParents) {
    return CuratorStages.call(
            cb -> {
              if (withParents) {
                client.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                    .inBackground(cb).forPath(path, data);
              } else {
                client.create().withMode(CreateMode.PERSISTENT).inBackground(cb).forPath(path, data);
              }
            })
        .thenAccept(
            event -> {
              if (!CuratorStages.is(event, KeeperException.Code.NODEEXISTS)) {
                CuratorStages.ok(event);
              }
            });
  }

  /**
   * Bumps the epoch: a compare-and-set on the epoch znode's version, so that of two masters opening
   * at once each ends with its own version, and the later one fences the earlier.
   */
  private static CompletableFuture<Integer> bumpEpoch(
      CuratorFramework client, RegistryLayout layout, Clock clock) {
    String path = layout.epoch();
    return CuratorStages.call(cb -> client.getData().inBackground(cb).forPath(path))
        .thenCompose(
            read -> {
              int seen = CuratorStages.ok(read).getStat().getVersion();
              byte[] data = RegistryJson.toBytes(new EpochRecord(seen + 1L, clock.instant()));
              return CuratorStages.call(
                      cb -> client.setData().withVersion(seen).inBackground(cb).forPath(path, data))
                  .thenCompose(
                      set ->
                          CuratorStages.is(set, KeeperException.Code.BADVERSION)
                              ? bumpEpoch(client, layout, clock) // another master bumped first
                              : CompletableFuture.completedFuture(CuratorStages.ok(set).getStat().getVersion()));
            });
  }

  /** The epoch znode's data, for people reading ZooKeeper; the fence is the znode's version. */
  record EpochRecord(long epoch, Instant openedAt) {}

  /** A unit of work waiting to be committed. */
  private static final class PendingWrite {
    final String what;
    final List<Change> changes;
    final int bytes;
    final CompletableFuture<Void> done = new CompletableFuture<>();

    PendingWrite(String what, List<Change> changes) {
      this.what = what;
      this.changes = List.copyOf(changes);
      int total = 0;
      for (Change change : changes) {
        // Data plus a generous allowance for the path and the operation's framing.
        total += 256 + change.id().length() * 3 + (change instanceof Change.Put put ? put.json().length : 0);
      }
      this.bytes = total;
    }
  }
}
