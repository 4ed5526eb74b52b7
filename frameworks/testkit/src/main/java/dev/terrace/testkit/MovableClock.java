package dev.terrace.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock a test moves by hand: stopped at a chosen instant ({@link #at}), so that a cron fire
 * happens when the test says, or running with the real time but ahead of it by what the test
 * added ({@link #realTime}), so that a timeout measured against real timestamps passes at once.
 */
public final class MovableClock extends Clock {
  private volatile Instant fixed;
  private volatile Duration ahead = Duration.ZERO;

  private MovableClock(Instant fixed) {
    this.fixed = fixed;
  }

  /** Stopped at {@code start} until {@link #set} or {@link #advance}. */
  public static MovableClock at(Instant start) {
    return new MovableClock(start);
  }

  /** The real time, plus whatever {@link #advance} adds. */
  public static MovableClock realTime() {
    return new MovableClock(null);
  }

  /** Stops the clock at {@code t}. */
  public void set(Instant t) {
    fixed = t;
    ahead = Duration.ZERO;
  }

  public void advance(Duration d) {
    ahead = ahead.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    Instant base = fixed;
    return (base == null ? Instant.now() : base).plus(ahead);
  }
}
