package dev.terrace.common.model;

import dev.terrace.common.json.Bytes;
import java.util.List;

public record OperationStatus(
    OperationId operationId, OperationState state, String message,
    List<Resource> convertedResources, Bytes uuid, AgentId agentId) {
  public OperationStatus {
    convertedResources = convertedResources == null ? List.of() : List.copyOf(convertedResources);
  }
}
