package dev.terrace.common.model;

import java.util.Objects;

/** Mesos `AgentID`: on the wire an object `{"value": "..."}`. */
public record AgentId(String value) {
  public AgentId {
    Objects.requireNonNull(value, "value");
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
