package dev.terrace.master.registry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException;

/**
 * Curator's background (callback) operations as futures, so that no registry call blocks a
 * thread. Futures complete on Curator's callback thread (the ZooKeeper event thread).
 */
final class CuratorStages {
  private CuratorStages() {}

  /** Starts one background operation, e.g. {@code cb -> client.getData().inBackground(cb).forPath(p)}. */
  @FunctionalInterface
  interface BackgroundCall {
    void start(BackgroundCallback callback) throws Exception;
  }

  /** The operation's event, whatever its result code; fails only if the call could not start. */
  static CompletableFuture<CuratorEvent> call(BackgroundCall call) {
    CompletableFuture<CuratorEvent> result = new CompletableFuture<>();
    try {
      call.start((client, event) -> result.complete(event));
    } catch (Exception e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** The event if it succeeded, else its KeeperException. */
  static CuratorEvent ok(CuratorEvent event) {
    int rc = event.getResultCode();
    if (rc != KeeperException.Code.OK.intValue()) {
      throw new CompletionException(KeeperException.create(KeeperException.Code.get(rc), event.getPath()));
    }
    return event;
  }

  static boolean is(CuratorEvent event, KeeperException.Code code) {
    return event.getResultCode() == code.intValue();
  }

  /** The exception a stage failed with, without CompletionException/ExecutionException wrappers. */
  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
