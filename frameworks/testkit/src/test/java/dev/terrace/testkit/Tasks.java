package dev.terrace.testkit;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import java.util.List;
import java.util.UUID;

/** Builders of tasks for tests. */
final class Tasks {
  private Tasks() {}

  static TaskId newId(String prefix) {
    return TaskId.of(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
  }

  static TaskInfo shell(TaskId id, Offer offer, double cpus, double memMb, String command) {
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    return TaskInfo.command(id.value(), id, offer.agentId(),
        List.of(Resource.scalar("cpus", cpus).withAllocationRole(role),
            Resource.scalar("mem", memMb).withAllocationRole(role)),
        CommandInfo.shell(command));
  }
}
