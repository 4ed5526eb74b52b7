package dev.terrace.agent.health;

import dev.terrace.common.model.HealthCheck;
import java.time.Duration;

/**
 * The timing of a health check with Mesos' defaults filled in (mesos.proto HealthCheck): the
 * first probe {@code delay} after the task runs, then one every {@code interval} after the
 * previous one ended, each given {@code timeout}; failures within {@code grace} of the start (and
 * before the first success) do not count; {@code consecutiveFailures} counted failures in a row
 * kill the task (0: never).
 */
public record HealthPolicy(Duration delay, Duration interval, Duration timeout, Duration grace,
    int consecutiveFailures) {

  public static final double DEFAULT_DELAY_SECONDS = 15;
  public static final double DEFAULT_INTERVAL_SECONDS = 10;
  public static final double DEFAULT_TIMEOUT_SECONDS = 20;
  public static final double DEFAULT_GRACE_SECONDS = 10;
  public static final int DEFAULT_CONSECUTIVE_FAILURES = 3;

  public static HealthPolicy of(HealthCheck check) {
    return new HealthPolicy(
        seconds(check.delaySeconds(), DEFAULT_DELAY_SECONDS),
        seconds(check.intervalSeconds(), DEFAULT_INTERVAL_SECONDS),
        seconds(check.timeoutSeconds(), DEFAULT_TIMEOUT_SECONDS),
        seconds(check.gracePeriodSeconds(), DEFAULT_GRACE_SECONDS),
        check.consecutiveFailures() == null ? DEFAULT_CONSECUTIVE_FAILURES
            : Math.max(0, check.consecutiveFailures()));
  }

  /** Negative or absent values take the default; fractions of a second are kept. */
  private static Duration seconds(Double value, double dflt) {
    double s = value == null || value < 0 || value.isNaN() ? dflt : value;
    return Duration.ofNanos((long) (s * 1e9));
  }
}
