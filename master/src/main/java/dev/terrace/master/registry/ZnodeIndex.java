package dev.terrace.master.registry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.api.transaction.TransactionOp;
import org.apache.zookeeper.CreateMode;

/**
 * Which registry znodes exist, so that a unit of work becomes exact transaction operations without
 * reading first: a put is a create or a setData, a delete of something absent is left out (in a
 * ZooKeeper transaction a create of an existing node or a delete of a missing one would fail the
 * whole unit). It also keeps the completed frameworks in age order, for the bound.
 *
 * <p>The index can be trusted because the registry is written by its leader only and writes are
 * fenced: after {@code open} has bumped the epoch and loaded the index, no one else changes these
 * znodes without also fencing us. It is updated as operations are generated, i.e. assuming the
 * transaction commits; after any failure whose outcome is unknown the registry throws it away and
 * loads a new one. Used by one commit at a time; not thread-safe.
 */
final class ZnodeIndex {
  private final Map<EntityKind, Set<String>> names = new EnumMap<>(EntityKind.class);

  private ZnodeIndex() {
    for (EntityKind kind : EntityKind.values()) {
      // Insertion order matters for the completed frameworks only (oldest first).
      names.put(kind, kind == EntityKind.COMPLETED_FRAMEWORKS ? new LinkedHashSet<>() : new HashSet<>());
    }
  }

  static CompletableFuture<ZnodeIndex> load(CuratorFramework client, RegistryLayout layout) {
    ZnodeIndex index = new ZnodeIndex();
    List<CompletableFuture<?>> loads = new ArrayList<>();
    for (EntityKind kind : EntityKind.values()) {
      String folder = layout.folder(kind);
      if (kind == EntityKind.COMPLETED_FRAMEWORKS) {
        // The age order is the creation order, which only the znodes' czxids know.
        loads.add(
            ZnodeReader.entries(client, folder)
                .thenAccept(entries -> entries.forEach(e -> index.names.get(kind).add(e.name()))));
      } else {
        loads.add(
            ZnodeReader.children(client, folder).thenAccept(children -> index.names.get(kind).addAll(children)));
      }
    }
    return CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).thenApply(done -> index);
  }

  /**
   * Appends to {@code ops} the operations that carry out {@code change}, and records their effect.
   * A put into the completed frameworks also deletes the oldest beyond {@code completedLimit}.
   */
  void addOps(
      Change change,
      int completedLimit,
      RegistryLayout layout,
      TransactionOp op,
      List<CuratorOp> ops)
      throws Exception {
    EntityKind kind = change.kind();
    Set<String> existing = names.get(kind);
    String name = ZnodeNames.encode(change.id());
    String path = layout.nodeByName(kind, name);
    if (change instanceof Change.Put put) {
      if (existing.contains(name)) {
        ops.add(op.setData().forPath(path, put.json()));
      } else {
        ops.add(op.create().withMode(CreateMode.PERSISTENT).forPath(path, put.json()));
        existing.add(name);
      }
      if (kind == EntityKind.COMPLETED_FRAMEWORKS) {
        Iterator<String> oldestFirst = existing.iterator();
        while (existing.size() > completedLimit) {
          String oldest = oldestFirst.next();
          oldestFirst.remove();
          ops.add(op.delete().forPath(layout.nodeByName(kind, oldest)));
        }
      }
    } else if (existing.remove(name)) {
      ops.add(op.delete().forPath(path));
    }
  }
}
