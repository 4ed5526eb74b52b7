package dev.terrace.agent.health;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one task's health check: the first probe {@link HealthPolicy#delay} after {@link #start},
 * then the next {@link HealthPolicy#interval} after each probe ended (so probes never overlap),
 * and tells its {@link Listener} about changes of health and, once, when the task must die.
 * Everything happens on the task's context; probes are asynchronous or on the worker pool.
 */
public final class HealthChecker {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecker.class);

  /** Called on the checker's context. */
  public interface Listener {
    /** The task's health changed (or is known for the first time). */
    void healthChanged(boolean healthy, String message);

    /** The task failed too many checks in a row and must be killed; checks have stopped. */
    void failedHealthChecks(String message);
  }

  private final Vertx vertx;
  private final Context context;
  private final HealthPolicy policy;
  private final Probe probe;
  private final Listener listener;
  private final LongSupplier nanoClock;
  private final String name;
  private HealthState state;
  private long timerId = -1;
  private boolean stopped;

  /**
   * @param name the task, for logs
   * @param nanoClock the time for the grace period (System::nanoTime; a fake one in tests)
   */
  public HealthChecker(Vertx vertx, Context context, String name, HealthPolicy policy, Probe probe,
      Listener listener, LongSupplier nanoClock) {
    this.vertx = vertx;
    this.context = context;
    this.name = name;
    this.policy = policy;
    this.probe = probe;
    this.listener = listener;
    this.nanoClock = nanoClock;
  }

  public HealthPolicy policy() {
    return policy;
  }

  /** Starts checking; the grace period begins now. */
  public void start() {
    onContext(() -> {
      if (stopped || state != null) {
        return;
      }
      state = new HealthState(policy, nanoClock.getAsLong());
      LOG.info("Health checks of {}: {} after {} s, every {} s", name, probe.describe(),
          seconds(policy.delay()), seconds(policy.interval()));
      schedule(policy.delay());
    });
  }

  /** Stops checking for good; a probe in flight is ignored when it ends. Idempotent. */
  public void stop() {
    onContext(() -> {
      if (stopped) {
        return;
      }
      stopped = true;
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
      probe.close();
    });
  }

  private void schedule(Duration after) {
    // Vert.x timers need at least 1 ms; a zero delay or interval means "as soon as possible".
    timerId = vertx.setTimer(Math.max(1, after.toMillis()), t -> {
      timerId = -1;
      probeOnce();
    });
  }

  private void probeOnce() {
    if (stopped) {
      return;
    }
    Promise<Void> result = Promise.promise();
    // The probe's own timeouts are best effort (a command in a container may hang in exec); this
    // one makes sure a probe never takes longer than its timeout to count as failed.
    long timeoutTimer = vertx.setTimer(Math.max(1, policy.timeout().toMillis()),
        t -> result.tryFail(probe.describe() + " timed out after " + seconds(policy.timeout()) + " s"));
    Future<Void> probed;
    try {
      probed = probe.run(policy.timeout());
    } catch (RuntimeException e) {
      probed = Future.failedFuture(e);
    }
    probed.onComplete(ar -> {
      if (ar.succeeded()) {
        result.tryComplete();
      } else {
        result.tryFail(ar.cause());
      }
    });
    result.future().onComplete(ar -> onContext(() -> {
      vertx.cancelTimer(timeoutTimer);
      handle(ar);
    }));
  }

  private void handle(AsyncResult<Void> ar) {
    if (stopped) {
      return;
    }
    HealthState.Verdict verdict;
    String message;
    String why = null;
    if (ar.succeeded()) {
      verdict = state.success();
      message = "Task is healthy: " + probe.describe() + " succeeded";
    } else {
      verdict = state.failure(nanoClock.getAsLong());
      why = ar.cause().getMessage() == null ? ar.cause().toString() : ar.cause().getMessage();
      if (!verdict.counted()) {
        LOG.debug("Health check of {} failed in its grace period (ignored): {}", name, why);
      }
      message = "Task is unhealthy: " + why + " (" + state.consecutiveFailures()
          + " consecutive failure" + (state.consecutiveFailures() == 1 ? "" : "s") + ")";
    }
    if (verdict.report() != null) {
      LOG.info("{}: {}", name, message);
      listener.healthChanged(verdict.report(), message);
    }
    if (verdict.kill()) {
      stop();
      listener.failedHealthChecks("Task failed health checks: " + state.consecutiveFailures()
          + " consecutive failures; last: " + why);
      return;
    }
    schedule(policy.interval());
  }

  private void onContext(Runnable r) {
    if (Vertx.currentContext() == context) {
      r.run();
    } else {
      context.runOnContext(v -> r.run());
    }
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? Long.toString(d.toSeconds()) : Double.toString(d.toMillis() / 1000.0);
  }
}
