package dev.terrace.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/**
 * A container's place on a CNI network, checkpointed before anything of it exists and again once
 * the plugins have answered, so that an agent that restarts can release all of it (IP lease, veth,
 * port mappings, namespace) with the exact configuration it was made with.
 *
 * @param containerId the CNI container id (the agent's container id)
 * @param network the network's configuration as used for ADD (DEL must get the same)
 * @param ifName the interface inside the container
 * @param netnsPath the container's network namespace file
 * @param portMappings host ports forwarded to the container
 * @param result the last plugin's ADD result; null until every plugin succeeded
 * @param ip the container's IPv4 address; null until then
 * @param group for a task of a task group: the key of the group's shared attachment, whose
 *     namespace and address it uses (its own record then only holds its port mappings)
 * @param shared true for a task group's shared namespace (its id is the group key)
 */
public record NetworkAttachment(
    String containerId,
    JsonNode network,
    String ifName,
    String netnsPath,
    List<PortMapping> portMappings,
    JsonNode result,
    String ip,
    String group,
    Boolean shared) {

  public NetworkAttachment {
    Objects.requireNonNull(containerId, "containerId");
    Objects.requireNonNull(network, "network");
    portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
  }

  public String networkName() {
    return network.path("name").asText();
  }

  public NetworkAttachment withResult(JsonNode newResult, String newIp) {
    return new NetworkAttachment(containerId, network, ifName, netnsPath, portMappings, newResult,
        newIp, group, shared);
  }

  public boolean isShared() {
    return Boolean.TRUE.equals(shared);
  }

  /** Mesos' view of it, for {@code ContainerStatus.network_infos} and /master/state. */
  public dev.terrace.common.model.NetworkInfo toNetworkInfo() {
    return new dev.terrace.common.model.NetworkInfo(
        ip == null ? List.of() : List.of(new dev.terrace.common.model.NetworkInfo.IpAddress("IPv4", ip)),
        networkName(), null, null,
        portMappings.stream().map(m -> new dev.terrace.common.model.NetworkInfo.PortMapping(
            m.hostPort(), m.containerPort(), m.protocol())).toList());
  }

  /** The first IPv4 address of a CNI result, without its prefix length; null when it has none. */
  static String firstIpv4(JsonNode result) {
    for (JsonNode ip : result.path("ips")) {
      String address = ip.path("address").asText("");
      if (!address.contains(":") && !address.isEmpty()) {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
      }
    }
    return null;
  }
}
