package dev.terrace.common.model;

import java.util.List;

/** Mesos `NetworkInfo`: the network a container joins, its addresses and port mappings. */
public record NetworkInfo(
    List<IpAddress> ipAddresses, String name, List<String> groups, Labels labels,
    List<PortMapping> portMappings) {

  public NetworkInfo {
    ipAddresses = ipAddresses == null ? List.of() : List.copyOf(ipAddresses);
    groups = groups == null ? List.of() : List.copyOf(groups);
    portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
  }

  public record IpAddress(String protocol, String ipAddress) {}

  public record PortMapping(long hostPort, long containerPort, String protocol) {}
}
