package dev.terrace.sdk.ha;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread on which a leading framework instance changes its state: scheduler events, API
 * calls and periodic work all queue here, so the state needs no locks. Work may block on
 * ZooKeeper (it is not an event loop). A {@link FencedException} from the state store stops the
 * actor for good and calls {@code onFenced}: the instance no longer leads and must not act.
 */
public final class LeaderActor {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderActor.class);

  private final ScheduledExecutorService thread;
  private final Runnable onFenced;
  private volatile boolean stopped;

  public LeaderActor(String name, Runnable onFenced) {
    this.onFenced = onFenced;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code work} on the actor; the future fails with {@link NotLeaderException} once stopped. */
  public <T> CompletableFuture<T> call(Callable<T> work) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      thread.execute(() -> {
        if (stopped) {
          result.completeExceptionally(new NotLeaderException());
          return;
        }
        try {
          result.complete(work.call());
        } catch (FencedException e) {
          fenced(e);
          result.completeExceptionally(new NotLeaderException());
        } catch (Exception e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new NotLeaderException());
    }
    return result;
  }

  /** Queues {@code work}; a failure is logged, and dropped work after a stop is ignored. */
  public void execute(Runnable work) {
    try {
      thread.execute(() -> guarded(work));
    } catch (RejectedExecutionException e) {
      // stopped: a deposed leader ignores what still arrives
    }
  }

  /** Runs {@code work} every {@code period}, starting now. */
  public void every(Duration period, Runnable work) {
    thread.scheduleWithFixedDelay(() -> guarded(work), 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops taking work; what is queued is dropped. */
  public void stop() {
    stopped = true;
    thread.shutdown();
  }

  private void guarded(Runnable work) {
    if (stopped) {
      return;
    }
    try {
      work.run();
    } catch (FencedException e) {
      fenced(e);
    } catch (RuntimeException e) {
      LOG.error("{} step failed: {}", Thread.currentThread().getName(), e.getMessage(), e);
    }
  }

  private void fenced(FencedException e) {
    LOG.warn("Stepping down: {}", e.getMessage());
    stopped = true;
    onFenced.run();
  }

  /** The instance no longer leads (or never did): the caller should retry against the leader. */
  public static final class NotLeaderException extends RuntimeException {
    public NotLeaderException() {
      super("this instance no longer leads");
    }
  }
}
