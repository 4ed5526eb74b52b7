package dev.terrace.common.model;

import java.util.List;

/** Mesos `InverseOffer`: the master asks a framework to give resources back for maintenance. */
public record InverseOffer(
    OfferId id, FrameworkId frameworkId, AgentId agentId, Unavailability unavailability,
    List<Resource> resources) {
  public InverseOffer {
    resources = resources == null ? List.of() : List.copyOf(resources);
  }
}
