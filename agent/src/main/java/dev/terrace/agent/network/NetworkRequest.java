package dev.terrace.agent.network;

import java.util.List;
import java.util.Objects;

/**
 * A task's wish to join a CNI network instead of the host's: which network and which host ports
 * to forward to it.
 *
 * @param group the key of the task group whose tasks share one network namespace (and address),
 *     or null for a container with a namespace of its own
 */
public record NetworkRequest(String name, List<PortMapping> portMappings, String group) {
  public NetworkRequest {
    Objects.requireNonNull(name, "name");
    portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
  }

  public NetworkRequest(String name, List<PortMapping> portMappings) {
    this(name, portMappings, null);
  }

  /** The same request, sharing the namespace of the group {@code key}. */
  public NetworkRequest inGroup(String key) {
    return new NetworkRequest(name, portMappings, key);
  }
}
