package dev.terrace.common.model;

import java.util.List;

/** Mesos `AgentInfo`: an agent's host, port, total resources and attributes. */
public record AgentInfo(
    String hostname, Integer port, List<Resource> resources, List<Attribute> attributes, AgentId id) {
  public AgentInfo {
    resources = resources == null ? List.of() : List.copyOf(resources);
    attributes = attributes == null ? List.of() : List.copyOf(attributes);
  }

  public AgentInfo withId(AgentId newId) {
    return new AgentInfo(hostname, port, resources, attributes, newId);
  }
}
