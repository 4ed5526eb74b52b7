package dev.terrace.common.model;

import java.util.Objects;

/** Mesos `ContainerID`: a value and, for nested containers, the parent's id. */
public record ContainerId(String value, ContainerId parent) {
  public ContainerId {
    Objects.requireNonNull(value, "value");
  }

  public static ContainerId of(String value) {
    return new ContainerId(value, null);
  }

  @Override
  public String toString() {
    return parent == null ? value : parent + "." + value;
  }
}
