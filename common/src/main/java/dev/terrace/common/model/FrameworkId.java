package dev.terrace.common.model;

import java.util.Objects;

/** Mesos `FrameworkID`: on the wire an object `{"value": "..."}`. */
public record FrameworkId(String value) {
  public FrameworkId {
    Objects.requireNonNull(value, "value");
  }

  public static FrameworkId of(String value) {
    return new FrameworkId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
