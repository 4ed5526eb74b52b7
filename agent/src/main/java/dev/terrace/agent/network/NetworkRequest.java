package dev.terrace.agent.network;

import java.util.List;
import java.util.Objects;

/**
 * A task's wish to join a CNI network instead of the host's: which network and which host ports
 * to forward to it.
 */
public record NetworkRequest(String name, List<PortMapping> portMappings) {
  public NetworkRequest {
    Objects.requireNonNull(name, "name");
    portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
  }
}
