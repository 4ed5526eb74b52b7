package dev.terrace.common.model;

import java.util.Objects;

/** Mesos `ExecutorID`: on the wire an object `{"value": "..."}`. */
public record ExecutorId(String value) {
  public ExecutorId {
    Objects.requireNonNull(value, "value");
  }

  public static ExecutorId of(String value) {
    return new ExecutorId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
