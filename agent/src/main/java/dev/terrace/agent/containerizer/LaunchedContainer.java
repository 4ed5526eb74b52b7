package dev.terrace.agent.containerizer;

import dev.terrace.common.model.NetworkInfo;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A started container.
 *
 * @param containerId as launched
 * @param pid the container's first process as seen from the host
 * @param exit completes once when the container's first process has exited (never fails; an
 *     error of the monitor itself completes it with a {@link ContainerExit} saying so)
 * @param networkInfos the networks it joined with its addresses and port mappings (Mesos'
 *     {@code ContainerStatus.network_infos}); empty on the host's network
 */
public record LaunchedContainer(String containerId, int pid, CompletableFuture<ContainerExit> exit,
    List<NetworkInfo> networkInfos) {

  public LaunchedContainer {
    networkInfos = networkInfos == null ? List.of() : List.copyOf(networkInfos);
  }

  /** A container on the host's network. */
  public LaunchedContainer(String containerId, int pid, CompletableFuture<ContainerExit> exit) {
    this(containerId, pid, exit, List.of());
  }
}
