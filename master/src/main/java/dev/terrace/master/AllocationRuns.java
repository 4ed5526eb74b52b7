package dev.terrace.master;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the allocator runs: soon after something changed (batched, so a burst of events costs one
 * pass), one pass at a time on the allocator's thread, its offers made back on the master's
 * context. A request while a pass runs gets another one right after.
 */
final class AllocationRuns {
  private static final Logger LOG = LoggerFactory.getLogger(AllocationRuns.class);
  private static final long BATCH_DELAY_MS = 20;

  private final Master master;
  private boolean pending;
  /** The allocation in flight, if any; its future completes once its offers are made. */
  private Promise<Void> running;
  private boolean wanted;

  AllocationRuns(Master master) {
    this.master = master;
  }

  void schedule() {
    if (pending || master.isStopped()) {
      return;
    }
    pending = true;
    // A short delay, not "next tick": under a stream of events (agents re-registering) the
    // queue rarely drains, and one pass per tick would cost O(agents) per event.
    master.vertx().setTimer(BATCH_DELAY_MS, t -> run());
  }

  Future<Void> run() {
    pending = false;
    if (master.isStopped()) {
      return Future.succeededFuture();
    }
    if (running != null) {
      wanted = true;
      return running.future();
    }
    Promise<Void> done = Promise.promise();
    running = done;
    Context context = master.vertx().getOrCreateContext();
    long started = System.nanoTime();
    master.allocator().allocateAsync(master.clock().instant()).whenComplete((decisions, error) ->
        context.runOnContext(v -> {
          running = null;
          if (error != null) {
            LOG.error("Allocation failed", error);
          } else if (!master.isStopped()) {
            master.metrics().allocationRun(System.nanoTime() - started);
            master.offers().makeOffers(decisions);
          }
          done.complete();
          if (wanted) {
            wanted = false;
            schedule();
          }
        }));
    return done.future();
  }
}
