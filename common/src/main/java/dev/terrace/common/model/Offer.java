package dev.terrace.common.model;

import java.util.List;

/** Mesos `Offer`: resources of one agent offered to one framework for one role. */
public record Offer(
    OfferId id,
    FrameworkId frameworkId,
    AgentId agentId,
    String hostname,
    Url url,
    AllocationInfo allocationInfo,
    List<Resource> resources,
    List<Attribute> attributes,
    List<ExecutorId> executorIds,
    Unavailability unavailability) {

  public Offer {
    resources = resources == null ? List.of() : List.copyOf(resources);
    attributes = attributes == null ? List.of() : List.copyOf(attributes);
    executorIds = executorIds == null ? List.of() : List.copyOf(executorIds);
  }
}
