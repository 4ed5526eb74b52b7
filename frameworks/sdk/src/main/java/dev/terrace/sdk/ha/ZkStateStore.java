package dev.terrace.sdk.ha;

import dev.terrace.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * A framework's durable state in ZooKeeper: JSON values under {@code <root>/<key>}, where a key is
 * a slash-separated path such as {@code jobs/nightly} or {@code runs/nightly/0000000012}.
 *
 * <p>Writes are fenced: every {@link #write} is one ZooKeeper transaction that also checks the
 * version of the epoch node the store was opened with. A leader that was deposed (its session
 * expired while it was paused, say) therefore can never overwrite what its successor wrote: the
 * transaction fails and {@link FencedException} tells it to stop. Reads are not fenced.
 *
 * <p>All methods block on ZooKeeper: call them from a framework's own threads, never an event loop.
 */
public final class ZkStateStore {
  private final CuratorFramework zk;
  private final String root;
  private final String epochPath;
  private final int epochVersion;

  /** One write of a batch: {@code value} null deletes {@code key} (and everything under it). */
  public record Write(String key, Object value) {
    public static Write put(String key, Object value) {
      return new Write(key, java.util.Objects.requireNonNull(value, "value"));
    }

    public static Write delete(String key) {
      return new Write(key, null);
    }
  }

  ZkStateStore(CuratorFramework zk, String root, String epochPath, int epochVersion) {
    this.zk = zk;
    this.root = root;
    this.epochPath = epochPath;
    this.epochVersion = epochVersion;
  }

  /** The epoch this store writes under; it grows by one with each elected leader. */
  public int epoch() {
    return epochVersion;
  }

  public <T> Optional<T> read(String key, Class<T> type) {
    try {
      byte[] data = zk.getData().forPath(path(key));
      return Optional.of(Json.parse(data, type));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (Exception e) {
      throw new StateStoreException("cannot read " + path(key) + ": " + e.getMessage(), e);
    }
  }

  /** The names of the children of {@code key}, sorted; empty when it does not exist. */
  public List<String> children(String key) {
    try {
      List<String> names = new ArrayList<>(zk.getChildren().forPath(path(key)));
      names.sort(null);
      return names;
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw new StateStoreException("cannot list " + path(key) + ": " + e.getMessage(), e);
    }
  }

  /** Every value directly under {@code key}, in the order of their names. */
  public <T> List<T> readAll(String key, Class<T> type) {
    List<T> values = new ArrayList<>();
    for (String child : children(key)) {
      read(key + "/" + child, type).ifPresent(values::add);
    }
    return values;
  }

  public void put(String key, Object value) {
    write(List.of(Write.put(key, value)));
  }

  /** Applies {@code writes} all together or not at all, if this store's epoch is still current. */
  public void write(List<Write> writes) {
    writes.forEach(w -> path(w.key())); // bad keys are refused before anything is written
    try {
      List<CuratorOp> ops = new ArrayList<>();
      ops.add(zk.transactionOp().check().withVersion(epochVersion).forPath(epochPath));
      for (Write w : writes) {
        String path = path(w.key());
        if (w.value() == null) {
          addDeletes(path, ops);
          continue;
        }
        ensureParent(path);
        byte[] data = Json.toBytes(w.value());
        Stat stat = zk.checkExists().forPath(path);
        ops.add(stat == null ? zk.transactionOp().create().forPath(path, data)
            : zk.transactionOp().setData().forPath(path, data));
      }
      zk.transaction().forOperations(ops);
    } catch (KeeperException.BadVersionException | KeeperException.NoNodeException e) {
      if (epochMovedOn()) {
        throw new FencedException("another instance leads now (epoch " + epochVersion
            + " is over); not writing");
      }
      throw new StateStoreException("cannot write " + writes.size() + " keys: " + e.getMessage(), e);
    } catch (StateStoreException e) {
      throw e;
    } catch (Exception e) {
      throw new StateStoreException("cannot write " + writes.size() + " keys: " + e.getMessage(), e);
    }
  }

  private boolean epochMovedOn() {
    try {
      Stat stat = zk.checkExists().forPath(epochPath);
      return stat == null || stat.getVersion() != epochVersion;
    } catch (Exception e) {
      return false;
    }
  }

  /** Deletes go children first, as ZooKeeper refuses to delete a node that has any. */
  private void addDeletes(String path, List<CuratorOp> ops) throws Exception {
    if (zk.checkExists().forPath(path) == null) {
      return;
    }
    for (String child : zk.getChildren().forPath(path)) {
      addDeletes(path + "/" + child, ops);
    }
    ops.add(zk.transactionOp().delete().forPath(path));
  }

  /** Parents are plain containers of keys; creating one outside the transaction is harmless. */
  private void ensureParent(String path) throws Exception {
    String parent = path.substring(0, path.lastIndexOf('/'));
    if (!parent.isEmpty() && zk.checkExists().forPath(parent) == null) {
      try {
        zk.create().creatingParentsIfNeeded().forPath(parent);
      } catch (KeeperException.NodeExistsException ignored) {
        // created meanwhile: fine
      }
    }
  }

  private String path(String key) {
    if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("//")) {
      throw new IllegalArgumentException("bad state key '" + key + "'");
    }
    return root + "/" + key;
  }
}
