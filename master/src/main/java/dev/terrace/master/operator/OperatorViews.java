package dev.terrace.master.operator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.Master;
import dev.terrace.master.registry.QuotaRecord;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Mesos' v0 JSON endpoints besides {@code /master/state}: {@code /master/state-summary},
 * {@code /master/frameworks}, {@code /master/slaves}, {@code /master/tasks} and
 * {@code /master/roles}, in the shapes Mesos' master writes them. Built on the master's context.
 */
public final class OperatorViews {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** The per-state counts state-summary gives each agent and framework. */
  private static final List<TaskState> SUMMARY_STATES = List.of(TaskState.TASK_STAGING,
      TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_KILLING,
      TaskState.TASK_FINISHED, TaskState.TASK_KILLED, TaskState.TASK_FAILED, TaskState.TASK_LOST,
      TaskState.TASK_ERROR, TaskState.TASK_UNREACHABLE);

  private OperatorViews() {}

  /** {@code /master/state-summary}: agents and frameworks with task counts, without the tasks. */
  public static ObjectNode stateSummary(Master m, String cluster) {
    ObjectNode root = F.objectNode();
    root.put("hostname", m.info().hostname());
    root.put("cluster", cluster == null ? "" : cluster);
    Map<String, Map<TaskState, Integer>> perAgent = new HashMap<>();
    Map<String, Set<String>> fwsPerAgent = new HashMap<>();
    Map<String, Map<TaskState, Integer>> perFramework = new HashMap<>();
    Map<String, Set<String>> agentsPerFramework = new HashMap<>();
    for (FrameworkEntry fw : allFrameworks(m)) {
      for (TaskEntry t : tasksOf(fw)) {
        String agent = t.agentId.value();
        String fwId = fw.id.value();
        perAgent.computeIfAbsent(agent, k -> new EnumMap<>(TaskState.class)).merge(t.state(), 1, Integer::sum);
        perFramework.computeIfAbsent(fwId, k -> new EnumMap<>(TaskState.class)).merge(t.state(), 1, Integer::sum);
        if (!t.isTerminal()) {
          fwsPerAgent.computeIfAbsent(agent, k -> new TreeSet<>()).add(fwId);
          agentsPerFramework.computeIfAbsent(fwId, k -> new TreeSet<>()).add(agent);
        }
      }
    }
    Map<String, Resources> used = StateJson.usedPerAgent(m);
    ArrayNode slaves = root.putArray("slaves");
    for (AgentEntry a : m.agents()) {
      String id = a.info.id().value();
      int port = a.info.port() == null ? 5051 : a.info.port();
      ObjectNode s = slaves.addObject();
      s.put("id", id);
      s.put("pid", "slave(1)@" + a.info.hostname() + ":" + port);
      s.put("hostname", a.info.hostname());
      s.put("registered_time", StateJson.seconds(a.registeredTime));
      s.put("active", a.connected());
      s.put("version", a.version);
      s.set("resources", StateJson.resourceMap(a.total));
      s.set("used_resources", StateJson.resourceMap(used.getOrDefault(id, Resources.empty())));
      s.set("unreserved_resources", StateJson.resourceMap(a.total.reservedFor("*")));
      counts(s, perAgent.get(id));
      ArrayNode ids = s.putArray("framework_ids");
      fwsPerAgent.getOrDefault(id, Set.of()).forEach(ids::add);
    }
    ArrayNode fws = root.putArray("frameworks");
    for (FrameworkEntry fw : m.frameworks()) {
      String id = fw.id.value();
      ObjectNode f = fws.addObject();
      f.put("id", id);
      f.put("name", fw.info.name());
      f.put("hostname", fw.info.hostname());
      f.put("webui_url", fw.info.webuiUrl() == null ? "" : fw.info.webuiUrl());
      f.put("active", fw.connected());
      f.put("connected", fw.connected());
      f.put("recovered", false);
      ArrayNode caps = f.putArray("capabilities");
      fw.info.capabilities().forEach(c -> caps.add(c.type().name()));
      f.set("used_resources", StateJson.resourceMap(used(fw)));
      f.set("offered_resources", StateJson.resourceMap(offered(fw)));
      counts(f, perFramework.get(id));
      ArrayNode ids = f.putArray("slave_ids");
      agentsPerFramework.getOrDefault(id, Set.of()).forEach(ids::add);
    }
    return root;
  }

  /** {@code /master/frameworks[?framework_id=F]}. */
  public static ObjectNode frameworks(Master m, String frameworkId) {
    ObjectNode root = F.objectNode();
    ArrayNode live = root.putArray("frameworks");
    m.frameworks().stream().filter(fw -> frameworkId == null || fw.id.value().equals(frameworkId))
        .forEach(fw -> live.add(StateJson.framework(fw, true)));
    ArrayNode done = root.putArray("completed_frameworks");
    m.completedFrameworks().stream().filter(fw -> frameworkId == null || fw.id.value().equals(frameworkId))
        .forEach(fw -> done.add(StateJson.framework(fw, false)));
    root.putArray("unregistered_frameworks");
    return root;
  }

  /** {@code /master/slaves[?slave_id=A]}. */
  public static ObjectNode slaves(Master m, String agentId) {
    ObjectNode root = F.objectNode();
    ArrayNode out = root.putArray("slaves");
    StateJson.slaves(m).forEach(s -> {
      if (agentId == null || s.path("id").asText().equals(agentId)) {
        out.add(s);
      }
    });
    ArrayNode recovered = root.putArray("recovered_slaves");
    m.unreachableAgents().keySet().forEach(id -> {
      if (agentId == null || id.value().equals(agentId)) {
        recovered.addObject().put("id", id.value());
      }
    });
    return root;
  }

  /**
   * {@code /master/tasks}: live and completed tasks of every framework, ordered by when they were
   * launched ({@code order=asc|des}, default des), then {@code offset} and {@code limit} (default
   * 100); {@code framework_id} and {@code task_id} filter.
   */
  public static ObjectNode tasks(Master m, String frameworkId, String taskId, int limit, int offset,
      boolean ascending) {
    List<TaskEntry> all = new ArrayList<>();
    for (FrameworkEntry fw : allFrameworks(m)) {
      if (frameworkId != null && !fw.id.value().equals(frameworkId)) {
        continue;
      }
      for (TaskEntry t : tasksOf(fw)) {
        if (taskId == null || t.info.taskId().value().equals(taskId)) {
          all.add(t);
        }
      }
    }
    Comparator<TaskEntry> byStart = Comparator.comparingDouble(OperatorViews::startTime);
    all.sort(ascending ? byStart : byStart.reversed());
    ObjectNode root = F.objectNode();
    ArrayNode out = root.putArray("tasks");
    all.stream().skip(Math.max(0, offset)).limit(Math.max(0, limit))
        .forEach(t -> out.add(StateJson.task(t)));
    return root;
  }

  /** {@code /master/roles}: every known role with its weight, frameworks and resources. */
  public static ObjectNode roles(Master m) {
    Map<String, RoleFigures> roles = roleFigures(m);
    ObjectNode root = F.objectNode();
    ArrayNode out = root.putArray("roles");
    roles.forEach((name, r) -> {
      ObjectNode n = out.addObject();
      n.put("name", name);
      n.put("weight", r.weight);
      ArrayNode fws = n.putArray("frameworks");
      r.frameworks.forEach(fws::add);
      n.set("resources", StateJson.resourceMap(r.allocated.plus(r.offered)));
      n.set("allocated", StateJson.resourceMap(r.allocated));
      n.set("offered", StateJson.resourceMap(r.offered));
      if (r.quota != null) {
        ObjectNode q = n.putObject("quota");
        q.put("role", name);
        ObjectNode g = q.putObject("guarantee");
        r.quota.guarantees().forEach(g::put);
        ObjectNode l = q.putObject("limit");
        r.quota.limits().forEach(l::put);
      }
    });
    return root;
  }

  /** What a role holds: its weight, subscribed frameworks, task and offered resources, quota. */
  static final class RoleFigures {
    double weight = 1.0;
    final Set<String> frameworks = new TreeSet<>();
    Resources allocated = Resources.empty();
    Resources offered = Resources.empty();
    QuotaRecord quota;
  }

  static Map<String, RoleFigures> roleFigures(Master m) {
    Map<String, RoleFigures> roles = new TreeMap<>();
    Function<String, RoleFigures> role = name -> roles.computeIfAbsent(name, k -> new RoleFigures());
    for (FrameworkEntry fw : m.frameworks()) {
      fw.info.effectiveRoles().forEach(r -> role.apply(r).frameworks.add(fw.id.value()));
      for (TaskEntry t : fw.tasks.values()) {
        RoleFigures r = role.apply(t.role);
        r.allocated = r.allocated.plus(t.resources);
      }
      for (Offer o : fw.offers.values()) {
        String name = o.allocationInfo() == null ? "*" : o.allocationInfo().role();
        RoleFigures r = role.apply(name);
        r.offered = r.offered.plus(Resources.of(o.resources()));
      }
    }
    m.weights().forEach((name, w) -> role.apply(name).weight = w);
    m.quota().forEach((name, q) -> role.apply(name).quota = q);
    return roles;
  }

  static List<FrameworkEntry> allFrameworks(Master m) {
    List<FrameworkEntry> all = new ArrayList<>(m.frameworks());
    all.addAll(m.completedFrameworks());
    return all;
  }

  static List<TaskEntry> tasksOf(FrameworkEntry fw) {
    List<TaskEntry> all = new ArrayList<>(fw.tasks.values());
    all.addAll(fw.completedTasks);
    return all;
  }

  static Resources used(FrameworkEntry fw) {
    Resources r = Resources.empty();
    for (TaskEntry t : fw.tasks.values()) {
      r = r.plus(t.resources);
    }
    for (var executors : fw.executors.values()) {
      for (var e : executors.values()) {
        r = r.plus(Resources.of(e.resources()));
      }
    }
    return r;
  }

  static Resources offered(FrameworkEntry fw) {
    Resources r = Resources.empty();
    for (Offer o : fw.offers.values()) {
      r = r.plus(Resources.of(o.resources()));
    }
    return r;
  }

  private static double startTime(TaskEntry t) {
    return t.statuses().isEmpty() || t.statuses().get(0).timestamp() == null ? 0
        : t.statuses().get(0).timestamp();
  }

  private static void counts(ObjectNode n, Map<TaskState, Integer> counts) {
    for (TaskState s : SUMMARY_STATES) {
      n.put(s.name(), counts == null ? 0 : counts.getOrDefault(s, 0));
    }
  }
}
