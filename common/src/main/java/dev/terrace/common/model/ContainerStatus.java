package dev.terrace.common.model;

import java.util.List;

/** Mesos `ContainerStatus`: the container behind a task, its networks and its first process. */
public record ContainerStatus(
    ContainerId containerId, List<NetworkInfo> networkInfos, Integer executorPid) {
  public ContainerStatus {
    networkInfos = networkInfos == null ? List.of() : List.copyOf(networkInfos);
  }
}
