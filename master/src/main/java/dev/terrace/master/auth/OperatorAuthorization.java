package dev.terrace.master.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.master.Master;
import dev.terrace.master.operator.OperatorCallGate;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.security.authn.AuthenticationHandler;
import dev.terrace.security.authz.Action;
import dev.terrace.security.authz.Authorizer;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * ACLs for v1 operator calls ({@code POST /api/v1}), by call type: weights, quota, reservations,
 * teardown, and the coarse view checks (frameworks, tasks) for the calls that return them. Calls
 * not named here need no ACL beyond authentication.
 */
public final class OperatorAuthorization implements OperatorCallGate {
  private final Authorizer authorizer;

  public OperatorAuthorization(Authorizer authorizer) {
    this.authorizer = authorizer;
  }

  @Override
  public String refuse(RoutingContext ctx, JsonNode call, Master master) {
    return refuse(AuthenticationHandler.principal(ctx), call, master);
  }

  public String refuse(String principal, JsonNode call, Master master) {
    String type = call.path("type").asText("");
    return switch (type) {
      case "UPDATE_WEIGHTS" -> first(principal, Action.UPDATE_WEIGHTS,
          texts(call.path("update_weights").path("weight_infos"), "role"));
      case "UPDATE_QUOTA" -> first(principal, Action.UPDATE_QUOTAS,
          texts(call.path("update_quota").path("quota_configs"), "role"));
      case "SET_QUOTA" -> first(principal, Action.UPDATE_QUOTAS,
          List.of(call.path("set_quota").path("quota_request").path("role").asText("")));
      case "REMOVE_QUOTA" -> first(principal, Action.UPDATE_QUOTAS,
          List.of(call.path("remove_quota").path("role").asText("")));
      case "RESERVE_RESOURCES" -> first(principal, Action.RESERVE_RESOURCES,
          reservationFields(call.path("reserve_resources").path("resources"), "role"));
      case "UNRESERVE_RESOURCES" -> first(principal, Action.UNRESERVE_RESOURCES,
          reservationFields(call.path("unreserve_resources").path("resources"), "principal"));
      case "TEARDOWN" -> teardown(principal, call.path("teardown").path("framework_id").path("value"), master);
      case "UPDATE_MAINTENANCE_SCHEDULE" -> first(principal, Action.UPDATE_MAINTENANCE_SCHEDULES, nullObject());
      case "START_MAINTENANCE" -> first(principal, Action.START_MAINTENANCES, nullObject());
      case "STOP_MAINTENANCE" -> first(principal, Action.STOP_MAINTENANCES, nullObject());
      case "MARK_AGENT_GONE" -> first(principal, Action.MARK_AGENTS_GONE, nullObject());
      case "DRAIN_AGENT" -> first(principal, Action.DRAIN_AGENTS, nullObject());
      case "DEACTIVATE_AGENT" -> first(principal, Action.DEACTIVATE_AGENTS, nullObject());
      case "REACTIVATE_AGENT" -> first(principal, Action.REACTIVATE_AGENTS, nullObject());
      case "LIST_FILES" -> files(principal, call.path("list_files").path("path").asText(""), master);
      case "READ_FILE" -> files(principal, call.path("read_file").path("path").asText(""), master);
      case "GET_FRAMEWORKS" -> first(principal, Action.VIEW_FRAMEWORKS, nullObject());
      case "GET_TASKS" -> first(principal, Action.VIEW_TASKS, nullObject());
      case "GET_STATE", "SUBSCRIBE" -> {
        String d = first(principal, Action.VIEW_FRAMEWORKS, nullObject());
        yield d != null ? d : first(principal, Action.VIEW_TASKS, nullObject());
      }
      default -> null;
    };
  }

  private String teardown(String principal, JsonNode id, Master master) {
    if (!id.isTextual()) {
      return null; // malformed: the operator API answers 400
    }
    FrameworkEntry fw = master.framework(FrameworkId.of(id.asText()));
    String owner = fw == null ? null : fw.info.principal();
    return authorizer.deny(principal, Action.TEARDOWN_FRAMEWORKS, owner).orElse(null);
  }

  /**
   * LIST_FILES / READ_FILE under {@code /tasks/<task id>/...}: the task's sandbox ACL; a path that
   * names no known task (the {@code /tasks} listing itself) is asked about every user at once.
   */
  private String files(String principal, String path, Master master) {
    String rest = path.startsWith("/tasks/") ? path.substring("/tasks/".length()) : "";
    String taskId = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
    return TaskOwners.find(master, taskId)
        .map(owner -> authorizer.deny(principal, Action.ACCESS_SANDBOXES, owner.user()).orElse(null))
        .orElseGet(() -> authorizer.deny(principal, Action.ACCESS_SANDBOXES, null).orElse(null));
  }

  private String first(String principal, Action action, List<String> objects) {
    for (String o : objects) {
      var d = authorizer.deny(principal, action, o);
      if (d.isPresent()) {
        return d.get();
      }
    }
    return null;
  }

  /** "View everything": the coarse question asked of read calls. */
  private static List<String> nullObject() {
    List<String> l = new ArrayList<>();
    l.add(null);
    return l;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      out.add(n.path(field).asText(""));
    }
    return out;
  }

  /** Of each resource's most refined reservation (or the old {@code role} field for roles). */
  private static List<String> reservationFields(JsonNode resources, String field) {
    List<String> out = new ArrayList<>();
    for (JsonNode r : resources) {
      JsonNode reservations = r.path("reservations");
      JsonNode last = reservations.isArray() && reservations.size() > 0
          ? reservations.get(reservations.size() - 1) : null;
      String value = last != null && last.path(field).isTextual() ? last.path(field).asText()
          : field.equals("role") && r.path("role").isTextual() ? r.path("role").asText() : null;
      out.add(value);
    }
    return out;
  }
}
