package dev.terrace.common.model;

import java.time.Duration;

public record DurationInfo(long nanoseconds) {
  public static DurationInfo of(Duration d) {
    return new DurationInfo(d.toNanos());
  }

  public Duration toDuration() {
    return Duration.ofNanos(nanoseconds);
  }
}
