package dev.terrace.master.operator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.DurationInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.Resource;
import dev.terrace.master.Maintenance;
import dev.terrace.master.Master;
import dev.terrace.master.registry.MaintenanceSchedule;
import dev.terrace.master.registry.MaintenanceSchedule.MachineId;
import dev.terrace.master.state.FrameworkEntry;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator API's calls that change agents, machines and frameworks (Mesos v1 {@code
 * master.proto}): DEACTIVATE_AGENT, REACTIVATE_AGENT, DRAIN_AGENT, MARK_AGENT_GONE,
 * UPDATE_MAINTENANCE_SCHEDULE, START_MAINTENANCE, STOP_MAINTENANCE, RESERVE_RESOURCES,
 * UNRESERVE_RESOURCES, TEARDOWN and Terrace's KILL_TASK, and the reads of
 * the maintenance state. Requests are parsed and checked here; the master validates against its
 * state and changes nothing when it refuses. A refused request fails its future with {@link
 * IllegalArgumentException} (400); anything else (a registry write) is a 503.
 */
final class OperatorCommands {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private OperatorCommands() {}

  /** Runs a changing call; null when {@code type} is not one of them. */
  static Future<Void> run(Master m, String type, JsonNode call) {
    try {
      return switch (type) {
        case "DEACTIVATE_AGENT" -> m.admin().deactivate(agentId(call, "deactivate_agent"));
        case "REACTIVATE_AGENT" -> m.admin().reactivate(agentId(call, "reactivate_agent"));
        case "MARK_AGENT_GONE" -> m.admin().markGone(agentId(call, "mark_agent_gone"));
        case "DRAIN_AGENT" -> {
          JsonNode body = call.path("drain_agent");
          JsonNode markGone = body.path("mark_gone");
          if (!markGone.isMissingNode() && !markGone.isBoolean()) {
            throw new IllegalArgumentException("'drain_agent.mark_gone' must be a boolean");
          }
          yield m.admin().drain(agentId(call, "drain_agent"), duration(body.path("max_grace_period")),
              markGone.asBoolean(false));
        }
        case "UPDATE_MAINTENANCE_SCHEDULE" -> m.maintenance().updateSchedule(
            schedule(call.path("update_maintenance_schedule").path("schedule")));
        case "START_MAINTENANCE" -> m.maintenance().start(machines(call.path("start_maintenance")));
        case "STOP_MAINTENANCE" -> m.maintenance().stop(machines(call.path("stop_maintenance")));
        case "TEARDOWN" -> teardown(m, call.path("teardown"));
        case "KILL_TASK" -> killTask(m, call.path("kill_task"));
        case "RESERVE_RESOURCES" -> m.reservations().operatorReserve(
            agentId(call, "reserve_resources"), resources(call.path("reserve_resources").path("resources")));
        case "UNRESERVE_RESOURCES" -> m.reservations().operatorUnreserve(
            agentId(call, "unreserve_resources"), resources(call.path("unreserve_resources").path("resources")));
        default -> null;
      };
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private static Future<Void> teardown(Master m, JsonNode body) {
    String id = body.path("framework_id").path("value").asText("");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("Expecting 'teardown.framework_id.value'");
    }
    FrameworkEntry fw = m.framework(FrameworkId.of(id));
    if (fw == null) {
      throw new IllegalArgumentException("Unknown framework " + id);
    }
    m.teardown(fw);
    return Future.succeededFuture();
  }

  /**
   * KILL_TASK, a Terrace extension (Mesos' operator API cannot kill one task): the task's
   * framework sees TASK_KILLED as if it had asked; {@code kill_policy} may shorten the grace.
   */
  private static Future<Void> killTask(Master m, JsonNode body) {
    String fwId = body.path("framework_id").path("value").asText("");
    String taskId = body.path("task_id").path("value").asText("");
    if (fwId.isEmpty() || taskId.isEmpty()) {
      throw new IllegalArgumentException("Expecting 'kill_task.framework_id.value' and 'kill_task.task_id.value'");
    }
    FrameworkEntry fw = m.framework(FrameworkId.of(fwId));
    var task = fw == null ? null : fw.tasks.get(dev.terrace.common.model.TaskId.of(taskId));
    if (task == null) {
      throw new IllegalArgumentException("No live task " + taskId + " of framework " + fwId);
    }
    DurationInfo grace = duration(body.path("kill_policy").path("grace_period"));
    m.kill(fw, new dev.terrace.common.scheduler.Call.Kill(task.info.taskId(), task.agentId,
        grace == null ? null : new dev.terrace.common.model.KillPolicy(grace)));
    return Future.succeededFuture();
  }

  /** {@code Response.GetMaintenanceSchedule}. */
  static ObjectNode getSchedule(Master m) {
    ObjectNode n = F.objectNode();
    n.set("schedule", Json.toTree(m.maintenance().schedule()));
    return n;
  }

  /** {@code Response.GetMaintenanceStatus}: draining machines with the frameworks' answers, down machines. */
  static ObjectNode getStatus(Master m) {
    ObjectNode status = F.objectNode();
    ArrayNode draining = status.putArray("draining_machines");
    for (Map.Entry<MachineId, List<Maintenance.Response>> e : m.maintenance().draining().entrySet()) {
      ObjectNode machine = draining.addObject();
      machine.set("id", Json.toTree(e.getKey()));
      ArrayNode statuses = machine.putArray("statuses");
      for (Maintenance.Response r : e.getValue()) {
        ObjectNode s = statuses.addObject();
        s.putObject("framework_id").put("value", r.framework().value());
        s.put("status", r.status());
        s.putObject("timestamp").put("nanoseconds", nanos(r.timestamp()));
      }
    }
    ArrayNode down = status.putArray("down_machines");
    m.maintenance().downMachines().keySet().forEach(id -> down.add(Json.toTree(id)));
    ObjectNode n = F.objectNode();
    n.set("status", status);
    return n;
  }

  private static AgentId agentId(JsonNode call, String field) {
    JsonNode v = call.path(field).path("agent_id").path("value");
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw new IllegalArgumentException("Expecting '" + field + ".agent_id.value' to be a string");
    }
    return AgentId.of(v.asText());
  }

  /**
   * A {@code google.protobuf.Duration}: Mesos writes {@code {"seconds": N, "nanos": N}}; proto3's
   * JSON mapping writes {@code "1.5s"}; Mesos' own DurationInfo is {@code {"nanoseconds": N}}. All
   * are taken; absent is null.
   */
  static DurationInfo duration(JsonNode d) {
    if (d.isMissingNode() || d.isNull()) {
      return null;
    }
    if (d.isTextual() && d.asText().endsWith("s")) {
      try {
        double seconds = Double.parseDouble(d.asText().substring(0, d.asText().length() - 1));
        return new DurationInfo((long) (seconds * 1e9));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("Not a duration: " + d.asText());
      }
    }
    if (d.isObject() && d.path("nanoseconds").canConvertToLong() && d.path("nanoseconds").isNumber()) {
      return new DurationInfo(d.path("nanoseconds").asLong()); // Mesos' own DurationInfo
    }
    if (d.isObject() && (d.path("seconds").isMissingNode() || d.path("seconds").canConvertToLong())
        && (d.path("nanos").isMissingNode() || d.path("nanos").canConvertToInt())
        && (d.path("seconds").isNumber() || d.path("seconds").isTextual() || d.path("nanos").isNumber())) {
      return new DurationInfo(d.path("seconds").asLong(0) * 1_000_000_000L + d.path("nanos").asInt(0));
    }
    throw new IllegalArgumentException("A duration must be {\"seconds\": N, \"nanos\": N} or \"Ns\"");
  }

  private static List<Resource> resources(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException("Expecting 'resources' to be a non-empty list");
    }
    try {
      return List.of(Json.mapper().treeToValue(node, Resource[].class));
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("Invalid resources: " + rootMessage(e));
    }
  }

  private static MaintenanceSchedule schedule(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("Expecting 'update_maintenance_schedule.schedule' to be an object");
    }
    try {
      return Json.mapper().treeToValue(node, MaintenanceSchedule.class);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new IllegalArgumentException("Invalid maintenance schedule: " + rootMessage(e));
    }
  }

  private static List<MachineId> machines(JsonNode body) {
    JsonNode list = body.path("machines");
    if (!list.isArray()) {
      throw new IllegalArgumentException("Expecting 'machines' to be a list of {hostname, ip}");
    }
    List<MachineId> out = new ArrayList<>();
    for (JsonNode machine : list) {
      try {
        out.add(Json.mapper().treeToValue(machine, MachineId.class));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("Invalid machine id: " + rootMessage(e));
      }
    }
    return out;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.toString() : m.lines().findFirst().orElse(m);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
