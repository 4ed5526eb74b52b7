package dev.terrace.master.registry;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A registry in memory, for unit tests and standalone masters (where there is no other master to
 * hand over to, so nothing needs to survive the process). It keeps the same contract as {@link
 * ZooKeeperRegistry}: values are stored as the same JSON (so a value that would not survive
 * ZooKeeper does not survive here either), units apply atomically and in order, and {@link
 * #depose} fences it as a newer leader would.
 *
 * <p>Stages complete before the call returns.
 */
public final class InMemoryRegistry extends AbstractRegistry {
  // One insertion-ordered map per kind; for the completed frameworks the order is the age order
  // the bound needs. Guarded by this.
  private final Map<EntityKind, LinkedHashMap<String, byte[]>> entries = new EnumMap<>(EntityKind.class);
  private boolean deposed;

  public InMemoryRegistry() {
    this(DEFAULT_COMPLETED_FRAMEWORKS, Clock.systemUTC());
  }

  public InMemoryRegistry(int completedFrameworksLimit, Clock clock) {
    super(completedFrameworksLimit, clock);
    for (EntityKind kind : EntityKind.values()) {
      entries.put(kind, new LinkedHashMap<>());
    }
  }

  /** From now on every write fails with {@link FencedException}, as after a newer leader opened it. */
  public synchronized void depose() {
    deposed = true;
  }

  @Override
  public synchronized CompletionStage<RegistrySnapshot> recover() {
    try {
      SnapshotBuilder builder = new SnapshotBuilder();
      entries.forEach(
          (kind, byId) ->
              byId.forEach((id, json) -> builder.add(kind, id, json, kind.folder + "/" + id)));
      return CompletableFuture.completedFuture(builder.build());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  protected synchronized CompletionStage<Void> apply(String what, List<Change> changes) {
    if (deposed) {
      return CompletableFuture.failedFuture(
          new FencedException("registry write '" + what + "' refused: this master was deposed"));
    }
    // Changes cannot fail half-way here (values are already JSON), so applying them one by one is
    // atomic as far as any reader, who must take the same lock, can tell.
    for (Change change : changes) {
      LinkedHashMap<String, byte[]> byId = entries.get(change.kind());
      if (change instanceof Change.Put put) {
        byId.put(put.id(), put.json());
        if (put.kind() == EntityKind.COMPLETED_FRAMEWORKS) {
          trimOldest(byId);
        }
      } else {
        byId.remove(change.id());
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  private void trimOldest(LinkedHashMap<String, byte[]> completed) {
    Iterator<String> oldestFirst = completed.keySet().iterator();
    while (completed.size() > completedFrameworksLimit) {
      oldestFirst.next();
      oldestFirst.remove();
    }
  }
}
