package dev.terrace.common.model;

import java.util.List;

public record TaskGroupInfo(List<TaskInfo> tasks) {
  public TaskGroupInfo {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }
}
