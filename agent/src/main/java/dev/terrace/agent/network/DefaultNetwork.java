package dev.terrace.agent.network;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The conflist of the out-of-the-box {@value NetworkSettings#DEFAULT_NETWORK} network: a Linux
 * bridge that is the containers' gateway, masquerading their traffic out of the host, host-local
 * addresses from the configured subnet (leases kept under the agent's state dir, so two agents on
 * one machine never share them), and portmap for {@code port_mappings}.
 */
final class DefaultNetwork {
  private DefaultNetwork() {}

  static ObjectNode conflist(NetworkSettings s) {
    ObjectNode list = JsonNodeFactory.instance.objectNode();
    list.put("cniVersion", "0.4.0");
    list.put("name", NetworkSettings.DEFAULT_NETWORK);
    var plugins = list.putArray("plugins");
    ObjectNode bridge = plugins.addObject();
    bridge.put("type", "bridge");
    bridge.put("bridge", s.defaultBridge());
    bridge.put("isGateway", true);
    bridge.put("isDefaultGateway", true);
    bridge.put("ipMasq", true);
    bridge.put("hairpinMode", true);
    ObjectNode ipam = bridge.putObject("ipam");
    ipam.put("type", "host-local");
    ipam.put("subnet", s.defaultCidr());
    ipam.put("dataDir", s.stateDir().resolve("ipam").toAbsolutePath().toString());
    ObjectNode portmap = plugins.addObject();
    portmap.put("type", "portmap");
    portmap.putObject("capabilities").put("portMappings", true);
    portmap.put("snat", true);
    return list;
  }
}
