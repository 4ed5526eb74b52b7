package dev.terrace.sdk;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter between reconnection attempts. The jitter keeps a crowd of
 * frameworks that lost the same master from resubscribing to the new one in lockstep.
 */
final class Backoff {
  private final long initialNanos;
  private final long maxNanos;
  private long nextNanos;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.nextNanos = initialNanos;
  }

  /** The next delay: uniformly in [d/2, d] where d doubles per call up to the maximum. */
  synchronized Duration next() {
    long d = nextNanos;
    nextNanos = Math.min(maxNanos, d * 2);
    long half = d / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(d - half + 1));
  }

  /** Called once a subscription succeeds, so the next outage starts from short delays again. */
  synchronized void reset() {
    nextNanos = initialNanos;
  }
}
