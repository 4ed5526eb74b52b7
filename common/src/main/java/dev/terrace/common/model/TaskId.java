package dev.terrace.common.model;

import java.util.Objects;

/** Mesos `TaskID`: on the wire an object `{"value": "..."}`. */
public record TaskId(String value) {
  public TaskId {
    Objects.requireNonNull(value, "value");
  }

  public static TaskId of(String value) {
    return new TaskId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
