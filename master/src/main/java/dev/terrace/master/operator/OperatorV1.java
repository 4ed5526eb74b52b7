package dev.terrace.master.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.Master;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import java.time.Instant;
import java.util.Map;

/**
 * Payloads of the v1 operator API's read calls in Mesos' JSON shapes (apache/mesos
 * {@code include/mesos/v1/master/master.proto}, {@code Response.Get*}): GET_MASTER, GET_AGENTS,
 * GET_FRAMEWORKS, GET_TASKS, GET_ROLES, GET_STATE, GET_METRICS and GET_FLAGS. Each builder returns
 * the message for the response's field ({@code get_agents}, ...). Built on the master's context.
 */
final class OperatorV1 {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private OperatorV1() {}

  /** {@code Response.GetMaster}: master_info, start_time, elected_time (seconds). */
  static ObjectNode getMaster(Master m, Instant startTime) {
    ObjectNode n = F.objectNode();
    n.set("master_info", Json.toTree(m.info()));
    n.put("start_time", StateJson.seconds(startTime));
    n.put("elected_time", StateJson.seconds(m.electedTime()));
    return n;
  }

  /** {@code Response.GetAgents}: agents and recovered_agents. */
  static ObjectNode getAgents(Master m) {
    Map<String, Resources> used = StateJson.usedPerAgent(m);
    Map<String, Resources> offered = StateJson.offeredPerAgent(m);
    ObjectNode n = F.objectNode();
    ArrayNode agents = n.putArray("agents");
    for (AgentEntry a : m.agents()) {
      String id = a.info.id().value();
      agents.add(agent(m, a, used.getOrDefault(id, Resources.empty()),
          offered.getOrDefault(id, Resources.empty())));
    }
    n.putArray("recovered_agents");
    return n;
  }

  /** One {@code Response.GetAgents.Agent}. */
  static ObjectNode agent(Master m, AgentEntry a, Resources allocated, Resources offeredNow) {
    int port = a.info.port() == null ? 5051 : a.info.port();
    ObjectNode o = F.objectNode();
    o.set("agent_info", Json.toTree(a.info));
    o.put("active", a.connected());
    var admin = m.admin().record(a.info.id());
    o.put("deactivated", admin != null && admin.deactivated());
    if (admin != null && admin.drain() != null) {
      ObjectNode drain = o.putObject("drain_info");
      drain.put("state", admin.drain().state().name());
      ObjectNode config = drain.putObject("config");
      config.put("mark_gone", admin.drain().markGone());
      if (admin.drain().maxGracePeriodNanos() != null) {
        long ns = admin.drain().maxGracePeriodNanos();
        // DrainConfig's is a DurationInfo (the DRAIN_AGENT call's is a google.protobuf.Duration).
        config.putObject("max_grace_period").put("nanoseconds", ns);
      }
    }
    o.put("version", a.version);
    o.put("pid", "slave(1)@" + a.info.hostname() + ":" + port);
    o.set("registered_time", timeInfo(a.registeredTime));
    o.set("total_resources", resources(a.total));
    o.set("allocated_resources", resources(allocated));
    o.set("offered_resources", resources(offeredNow));
    o.putArray("capabilities");
    return o;
  }

  /** {@code Response.GetFrameworks}: frameworks and completed_frameworks. */
  static ObjectNode getFrameworks(Master m) {
    ObjectNode n = F.objectNode();
    ArrayNode live = n.putArray("frameworks");
    m.frameworks().forEach(fw -> live.add(framework(fw, true)));
    ArrayNode done = n.putArray("completed_frameworks");
    m.completedFrameworks().forEach(fw -> done.add(framework(fw, false)));
    return n;
  }

  /** One {@code Response.GetFrameworks.Framework}. */
  static ObjectNode framework(FrameworkEntry fw, boolean live) {
    ObjectNode o = F.objectNode();
    o.set("framework_info", Json.toTree(fw.info));
    o.put("active", live && fw.connected());
    o.put("connected", live && fw.connected());
    o.put("recovered", false);
    o.set("registered_time", timeInfo(fw.registeredTime));
    ArrayNode offers = o.putArray("offers");
    for (Offer offer : fw.offers.values()) {
      offers.add(Json.toTree(offer));
    }
    o.putArray("inverse_offers");
    o.set("allocated_resources", resources(OperatorViews.used(fw)));
    o.set("offered_resources", resources(OperatorViews.offered(fw)));
    return o;
  }

  /**
   * {@code Response.GetTasks}: live tasks, unreachable ones (given up on with their agent) and
   * completed ones; Terrace has no pending or orphan tasks.
   */
  static ObjectNode getTasks(Master m) {
    ObjectNode n = F.objectNode();
    n.putArray("pending_tasks");
    ArrayNode tasks = n.putArray("tasks");
    ArrayNode unreachable = n.putArray("unreachable_tasks");
    ArrayNode completed = n.putArray("completed_tasks");
    n.putArray("orphan_tasks");
    // Each task's JSON is made once and reused until the task changes: at 100,000 tasks building
    // them all again for every GET_STATE (and every operator SUBSCRIBE) takes seconds.
    for (FrameworkEntry fw : OperatorViews.allFrameworks(m)) {
      fw.tasks.values().forEach(t -> tasks.addRawValue(cached(t)));
      for (TaskEntry t : fw.completedTasks) {
        (t.state() == TaskState.TASK_UNREACHABLE ? unreachable : completed).addRawValue(cached(t));
      }
    }
    return n;
  }

  private static com.fasterxml.jackson.databind.util.RawValue cached(TaskEntry t) {
    String json = t.v1Json();
    if (json == null) {
      json = task(t).toString();
      t.cacheV1Json(json);
    }
    return new com.fasterxml.jackson.databind.util.RawValue(json);
  }

  /** Mesos' v1 {@code Task}. */
  static ObjectNode task(TaskEntry t) {
    ObjectNode o = F.objectNode();
    o.put("name", t.info.name());
    o.putObject("task_id").put("value", t.info.taskId().value());
    o.putObject("framework_id").put("value", t.frameworkId.value());
    o.putObject("agent_id").put("value", t.agentId.value());
    o.put("state", t.state().name());
    o.set("resources", resources(t.resources));
    ArrayNode statuses = o.putArray("statuses");
    for (TaskStatus s : t.statuses()) {
      statuses.add(Json.toTree(s));
    }
    TaskStatus latest = t.latestStatus();
    if (latest != null) {
      o.put("status_update_state", latest.state().name());
      if (latest.uuid() != null) {
        o.set("status_update_uuid", Json.toTree(latest.uuid()));
      }
    }
    if (t.info.labels() != null) {
      o.set("labels", Json.toTree(t.info.labels()));
    }
    if (t.info.container() != null) {
      o.set("container", Json.toTree(t.info.container()));
    }
    return o;
  }

  /** {@code Response.GetRoles}: name, weight, frameworks, resources (allocated and offered). */
  static ObjectNode getRoles(Master m) {
    ObjectNode n = F.objectNode();
    ArrayNode roles = n.putArray("roles");
    OperatorViews.roleFigures(m).forEach((name, r) -> {
      ObjectNode o = roles.addObject();
      o.put("name", name);
      o.put("weight", r.weight);
      ArrayNode fws = o.putArray("frameworks");
      r.frameworks.forEach(id -> fws.addObject().put("value", id));
      o.set("resources", resources(r.allocated.plus(r.offered)));
      o.set("allocated", resources(r.allocated));
      o.set("offered", resources(r.offered));
      if (r.quota != null) {
        ObjectNode q = o.putObject("quota");
        q.put("role", name);
        ObjectNode g = q.putObject("guarantees");
        r.quota.guarantees().forEach((k, v) -> g.putObject(k).put("value", v));
        ObjectNode l = q.putObject("limits");
        r.quota.limits().forEach((k, v) -> l.putObject(k).put("value", v));
      }
    });
    return n;
  }

  /** {@code Response.GetState}: tasks, executors (none: Terrace runs command tasks), frameworks, agents. */
  static ObjectNode getState(Master m) {
    ObjectNode n = F.objectNode();
    n.set("get_tasks", getTasks(m));
    n.set("get_executors", getExecutors(m));
    n.set("get_frameworks", getFrameworks(m));
    n.set("get_agents", getAgents(m));
    return n;
  }

  /**
   * {@code Response.GetExecutors}: the custom executors running (command tasks and task groups
   * run without a separate executor process, so they have none to list).
   */
  static ObjectNode getExecutors(Master m) {
    ObjectNode n = F.objectNode();
    ArrayNode executors = n.putArray("executors");
    dev.terrace.master.ExecutorBook.all(OperatorViews.allFrameworks(m)).forEach((info, agent) -> {
      ObjectNode e = executors.addObject();
      e.set("executor_info", Json.toTree(info));
      e.putObject("agent_id").put("value", agent.value());
    });
    n.putArray("orphan_executors");
    return n;
  }

  /** {@code Response.GetMetrics}: {@code [{name, value}]}. */
  static ObjectNode getMetrics(Map<String, Double> snapshot) {
    ObjectNode n = F.objectNode();
    ArrayNode metrics = n.putArray("metrics");
    snapshot.forEach((k, v) -> metrics.addObject().put("name", k).put("value", v));
    return n;
  }

  /** {@code Response.GetFlags}: {@code [{name, value}]}. */
  static ObjectNode getFlags(Map<String, String> flags) {
    ObjectNode n = F.objectNode();
    ArrayNode out = n.putArray("flags");
    flags.forEach((k, v) -> out.addObject().put("name", k).put("value", v));
    return n;
  }

  /** Mesos' {@code TimeInfo}: {@code {"nanoseconds": N}}. */
  private static ObjectNode timeInfo(Instant t) {
    return F.objectNode().put("nanoseconds", t.getEpochSecond() * 1_000_000_000L + t.getNano());
  }

  private static ArrayNode resources(Resources r) {
    return (ArrayNode) Json.toTree(r.toList());
  }
}
