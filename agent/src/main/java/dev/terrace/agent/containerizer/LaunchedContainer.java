package dev.terrace.agent.containerizer;

import java.util.concurrent.CompletableFuture;

/**
 * A started container.
 *
 * @param containerId as launched
 * @param pid the container's first process as seen from the host
 * @param exit completes once when the container's first process has exited (never fails; an
 *     error of the monitor itself completes it with a {@link ContainerExit} saying so)
 */
public record LaunchedContainer(String containerId, int pid, CompletableFuture<ContainerExit> exit) {}
