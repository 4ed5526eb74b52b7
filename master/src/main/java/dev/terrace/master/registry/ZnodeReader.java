package dev.terrace.master.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;

/** Reads a registry folder without blocking: its children, or its children with their data. */
final class ZnodeReader {
  private ZnodeReader() {}

  /** A child znode: its name, its data, and its creation zxid (which orders creations). */
  record Entry(String name, byte[] data, long czxid) {}

  static CompletableFuture<List<String>> children(CuratorFramework client, String path) {
    return CuratorStages.call(cb -> client.getChildren().inBackground(cb).forPath(path))
        .thenApply(event -> List.copyOf(CuratorStages.ok(event).getChildren()));
  }

  /**
   * Every child with its data, oldest first. All reads are in flight at once, so a folder of tens
   * of thousands of agents costs about one round trip plus the transfer. A child deleted between
   * the listing and its read is skipped.
   */
  static CompletableFuture<List<Entry>> entries(CuratorFramework client, String path) {
    return children(client, path)
        .thenCompose(
            names -> {
              List<CompletableFuture<Entry>> reads = new ArrayList<>(names.size());
              for (String name : names) {
                String child = path + "/" + name;
                reads.add(
                    CuratorStages.call(cb -> client.getData().inBackground(cb).forPath(child))
                        .thenApply(event -> toEntry(name, event)));
              }
              return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done -> {
                        List<Entry> entries = new ArrayList<>(reads.size());
                        for (CompletableFuture<Entry> read : reads) {
                          Entry entry = read.join();
                          if (entry != null) {
                            entries.add(entry);
                          }
                        }
                        entries.sort(Comparator.comparingLong(Entry::czxid));
                        return entries;
                      });
            });
  }

  private static Entry toEntry(String name, CuratorEvent event) {
    if (CuratorStages.is(event, KeeperException.Code.NONODE)) {
      return null;
    }
    CuratorStages.ok(event);
    byte[] data = event.getData() == null ? new byte[0] : event.getData();
    return new Entry(name, data, event.getStat().getCzxid());
  }
}
