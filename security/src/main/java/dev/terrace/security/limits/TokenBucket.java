package dev.terrace.security.limits;

/**
 * A token bucket: {@code ratePerSecond} tokens a second up to {@code burst}; a call takes one.
 * Time comes in as nanoseconds, so tests drive it without sleeping. Not thread-safe: one owner.
 */
public final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
    if (!(ratePerSecond > 0) || !(burst >= 1)) {
      throw new IllegalArgumentException("a rate must be positive and a burst at least 1");
    }
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes a token if there is one. */
  public boolean tryTake(long nowNanos) {
    refill(nowNanos);
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Whole seconds until a token is available (at least 1), for {@code Retry-After}. */
  public long secondsUntilNext(long nowNanos) {
    refill(nowNanos);
    return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / 1e9));
  }

  /** Whether the bucket is full again, so its owner may forget it. */
  public boolean isFull(long nowNanos) {
    refill(nowNanos);
    return tokens >= burst;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      lastNanos = nowNanos;
    }
  }
}
