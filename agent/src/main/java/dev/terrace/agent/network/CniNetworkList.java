package dev.terrace.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One CNI network: a {@code .conflist} (a chain of plugins), or a single-plugin {@code .conf}
 * seen as a chain of one. Pure: parsing and the per-plugin configuration the spec prescribes.
 *
 * @param name the network's name, what a task's {@code NetworkInfo.name} refers to
 * @param cniVersion the spec version the plugins are asked to speak
 * @param plugins the plugin configurations in chain order (each has a {@code type})
 */
public record CniNetworkList(String name, String cniVersion, List<ObjectNode> plugins) {

  public CniNetworkList {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(cniVersion, "cniVersion");
    plugins = List.copyOf(plugins);
  }

  /** Parses a conflist or a single-plugin conf; throws with the reason when it is not one. */
  public static CniNetworkList parse(JsonNode json) throws CniException {
    if (json == null || !json.isObject()) {
      throw new CniException("a CNI network configuration must be a JSON object");
    }
    String name = json.path("name").asText("");
    if (name.isEmpty()) {
      throw new CniException("a CNI network configuration needs a 'name'");
    }
    String version = json.path("cniVersion").asText("0.4.0");
    List<ObjectNode> plugins = new ArrayList<>();
    if (json.has("plugins")) {
      for (JsonNode p : json.path("plugins")) {
        if (!p.isObject() || p.path("type").asText("").isEmpty()) {
          throw new CniException("network '" + name + "': every plugin needs a 'type'");
        }
        plugins.add((ObjectNode) p.deepCopy());
      }
    } else if (!json.path("type").asText("").isEmpty()) {
      plugins.add((ObjectNode) json.deepCopy());
    }
    if (plugins.isEmpty()) {
      throw new CniException("network '" + name + "' has no plugins");
    }
    return new CniNetworkList(name, version, plugins);
  }

  /** The conflist JSON of this network (what a checkpoint keeps and {@link #parse} reads). */
  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("cniVersion", cniVersion);
    n.put("name", name);
    ArrayNode list = n.putArray("plugins");
    plugins.forEach(p -> list.add(p.deepCopy()));
    return n;
  }

  /**
   * The stdin of plugin {@code index}: its own configuration with the network's name and version,
   * the previous plugin's result ({@code prevResult}, when not null), and the runtime values of the
   * capabilities it declares (only {@code portMappings} is offered).
   */
  public ObjectNode pluginConfig(int index, JsonNode prevResult, List<PortMapping> portMappings) {
    ObjectNode c = plugins.get(index).deepCopy();
    c.put("name", name);
    c.put("cniVersion", cniVersion);
    if (prevResult != null && !prevResult.isEmpty()) {
      c.set("prevResult", prevResult);
    }
    if (c.path("capabilities").path("portMappings").asBoolean(false)) {
      ArrayNode pm = c.putObject("runtimeConfig").putArray("portMappings");
      for (PortMapping m : portMappings) {
        ObjectNode o = pm.addObject();
        o.put("hostPort", m.hostPort());
        o.put("containerPort", m.containerPort());
        o.put("protocol", m.protocol());
      }
    }
    return c;
  }

  /** Whether some plugin of the chain maps host ports (declares the portMappings capability). */
  public boolean mapsPorts() {
    return plugins.stream().anyMatch(p -> p.path("capabilities").path("portMappings").asBoolean(false));
  }
}
