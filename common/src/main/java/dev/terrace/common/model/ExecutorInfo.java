package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import java.util.List;

/** Mesos `ExecutorInfo`. Terrace runs command tasks itself; custom executors are a later step. */
public record ExecutorInfo(
    Type type,
    ExecutorId executorId,
    FrameworkId frameworkId,
    CommandInfo command,
    ContainerInfo container,
    List<Resource> resources,
    String name,
    Labels labels) {

  public ExecutorInfo {
    resources = resources == null ? List.of() : List.copyOf(resources);
  }

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    DEFAULT,
    CUSTOM
  }
}
