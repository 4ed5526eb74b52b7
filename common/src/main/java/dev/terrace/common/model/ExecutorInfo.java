package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import java.util.List;

/**
 * Mesos `ExecutorInfo`: a custom executor, a program the agent runs in a container of its own that
 * runs the framework's tasks and reports their states through the v1 executor API.
 */
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

  public ExecutorInfo withFrameworkId(FrameworkId value) {
    return new ExecutorInfo(type, executorId, value, command, container, resources, name, labels);
  }

  /** A custom executor running {@code command} with {@code resources} of its own. */
  public static ExecutorInfo custom(ExecutorId id, CommandInfo command, List<Resource> resources) {
    return new ExecutorInfo(Type.CUSTOM, id, null, command, null, resources, null, null);
  }

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    DEFAULT,
    CUSTOM
  }
}
