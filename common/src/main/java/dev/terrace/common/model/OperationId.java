package dev.terrace.common.model;

import java.util.Objects;

/** Mesos `OperationID`: on the wire an object `{"value": "..."}`. */
public record OperationId(String value) {
  public OperationId {
    Objects.requireNonNull(value, "value");
  }

  public static OperationId of(String value) {
    return new OperationId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
