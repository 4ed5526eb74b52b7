package dev.terrace.master.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Value;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.Master;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /master/state} in the JSON shape Mesos' master writes (the v0 "state" document that
 * tools and UIs read): its keys keep Mesos' names, including {@code slaves} and {@code slave_id},
 * because that is the wire format existing tooling parses.
 */
public final class StateJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private StateJson() {}

  /**
   * The document as bytes, written as a stream: each task's JSON is rendered once and reused until
   * the task changes, so at 100,000 tasks a request mostly copies bytes (the tree {@link #build}
   * makes costs seconds there, on the master's context).
   */
  public static byte[] render(Master m, String version, Instant startTime, Map<String, String> flags) {
    ObjectNode head = header(m, version, startTime, flags);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1 << 16);
    try (com.fasterxml.jackson.core.JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
      g.writeStartObject();
      writeFields(g, head);
      g.writeFieldName("slaves");
      g.writeTree(slaves(m));
      writeFrameworks(g, "frameworks", m.frameworks(), true);
      writeFrameworks(g, "completed_frameworks", m.completedFrameworks(), false);
      g.writeEndObject();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeFrameworks(com.fasterxml.jackson.core.JsonGenerator g, String field,
      Iterable<FrameworkEntry> frameworks, boolean live) throws java.io.IOException {
    g.writeArrayFieldStart(field);
    for (FrameworkEntry fw : frameworks) {
      g.writeStartObject();
      writeFields(g, frameworkHeader(fw, live));
      g.writeArrayFieldStart("tasks");
      for (TaskEntry t : fw.tasks.values()) {
        g.writeRawValue(cachedTask(t));
      }
      g.writeEndArray();
      g.writeArrayFieldStart("completed_tasks");
      for (TaskEntry t : fw.completedTasks) {
        g.writeRawValue(cachedTask(t));
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static String cachedTask(TaskEntry t) {
    String json = t.stateJson();
    if (json == null) {
      json = task(t).toString();
      t.cacheStateJson(json);
    }
    return json;
  }

  private static void writeFields(com.fasterxml.jackson.core.JsonGenerator g, ObjectNode node)
      throws java.io.IOException {
    var fields = node.fields();
    while (fields.hasNext()) {
      var e = fields.next();
      g.writeFieldName(e.getKey());
      g.writeTree(e.getValue());
    }
  }

  public static ObjectNode build(Master m, String version, Instant startTime, Map<String, String> flags) {
    ObjectNode root = header(m, version, startTime, flags);
    root.set("slaves", slaves(m));
    ArrayNode fws = root.putArray("frameworks");
    for (FrameworkEntry fw : m.frameworks()) {
      fws.add(framework(fw, true));
    }
    ArrayNode done = root.putArray("completed_frameworks");
    for (FrameworkEntry fw : m.completedFrameworks()) {
      done.add(framework(fw, false));
    }
    return root;
  }

  /** The top-level fields before {@code slaves}: who leads, since when, with which flags. */
  private static ObjectNode header(Master m, String version, Instant startTime, Map<String, String> flags) {
    ObjectNode root = F.objectNode();
    var info = m.info();
    root.put("version", version);
    root.put("id", info.id());
    root.put("pid", info.pid());
    root.put("hostname", info.hostname());
    root.put("start_time", seconds(startTime));
    root.put("elected_time", seconds(m.electedTime()));
    root.put("leader", info.pid());
    root.set("leader_info", Json.toTree(info));
    long active = m.agents().stream().filter(AgentEntry::connected).count();
    root.put("activated_slaves", active);
    root.put("deactivated_slaves", m.agents().size() - active);
    root.put("unreachable_slaves", m.unreachableAgents().size());
    ObjectNode flagsNode = root.putObject("flags");
    flags.forEach(flagsNode::put);
    return root;
  }

  /** Resources of live tasks per agent id. */
  static Map<String, Resources> usedPerAgent(Master m) {
    Map<String, Resources> used = new HashMap<>();
    for (FrameworkEntry fw : m.frameworks()) {
      for (TaskEntry t : fw.tasks.values()) {
        used.merge(t.agentId.value(), t.resources, Resources::plus);
      }
      // A custom executor's own resources are in use as long as it runs.
      fw.executors.forEach((agent, executors) -> executors.values().forEach(e ->
          used.merge(agent.value(), Resources.of(e.resources()), Resources::plus)));
    }
    return used;
  }

  /** Resources of outstanding offers per agent id. */
  static Map<String, Resources> offeredPerAgent(Master m) {
    Map<String, Resources> offered = new HashMap<>();
    for (FrameworkEntry fw : m.frameworks()) {
      for (Offer o : fw.offers.values()) {
        offered.merge(o.agentId().value(), Resources.of(o.resources()), Resources::plus);
      }
    }
    return offered;
  }

  /** The {@code slaves} array of {@code /master/state} and {@code /master/slaves}. */
  static ArrayNode slaves(Master m) {
    Map<String, Resources> usedPerAgent = usedPerAgent(m);
    Map<String, Resources> offeredPerAgent = offeredPerAgent(m);
    ArrayNode slaves = F.arrayNode();
    for (AgentEntry a : m.agents()) {
      ObjectNode s = slaves.addObject();
      String id = a.info.id().value();
      s.put("id", id);
      s.put("hostname", a.info.hostname());
      s.put("port", a.info.port() == null ? 5051 : a.info.port());
      s.put("pid", "slave(1)@" + a.info.hostname() + ":" + (a.info.port() == null ? 5051 : a.info.port()));
      s.put("registered_time", seconds(a.registeredTime));
      s.put("active", a.connected());
      s.put("version", a.version);
      s.set("resources", resourceMap(a.total));
      Resources used = usedPerAgent.getOrDefault(id, Resources.empty());
      Resources offered = offeredPerAgent.getOrDefault(id, Resources.empty());
      s.set("used_resources", resourceMap(used));
      s.set("offered_resources", resourceMap(offered));
      s.set("unreserved_resources", resourceMap(a.total.reservedFor("*")));
      s.set("attributes", attributes(a));
    }
    return slaves;
  }

  static ObjectNode framework(FrameworkEntry fw, boolean live) {
    ObjectNode f = frameworkHeader(fw, live);
    ArrayNode tasks = f.putArray("tasks");
    fw.tasks.values().forEach(t -> tasks.add(task(t)));
    ArrayNode completed = f.putArray("completed_tasks");
    fw.completedTasks.forEach(t -> completed.add(task(t)));
    return f;
  }

  /** A framework's entry without its {@code tasks} and {@code completed_tasks}. */
  private static ObjectNode frameworkHeader(FrameworkEntry fw, boolean live) {
    ObjectNode f = F.objectNode();
    f.put("id", fw.id.value());
    f.put("name", fw.info.name());
    f.put("user", fw.info.user());
    f.put("hostname", fw.info.hostname());
    f.put("principal", fw.info.principal());
    if (fw.info.webuiUrl() != null) {
      f.put("webui_url", fw.info.webuiUrl());
    }
    f.put("failover_timeout", fw.info.failoverTimeout() == null ? 0 : fw.info.failoverTimeout());
    f.put("checkpoint", Boolean.TRUE.equals(fw.info.checkpoint()));
    f.put("role", fw.info.effectiveRoles().get(0));
    ArrayNode roles = f.putArray("roles");
    fw.info.effectiveRoles().forEach(roles::add);
    ArrayNode caps = f.putArray("capabilities");
    fw.info.capabilities().forEach(c -> caps.add(c.type().name()));
    f.put("registered_time", seconds(fw.registeredTime));
    f.put("active", live && fw.connected());
    f.put("connected", live && fw.connected());
    Resources used = Resources.empty();
    for (TaskEntry t : fw.tasks.values()) {
      used = used.plus(t.resources);
    }
    Resources offered = Resources.empty();
    ArrayNode offers = f.putArray("offers");
    for (Offer o : fw.offers.values()) {
      ObjectNode on = offers.addObject();
      on.put("id", o.id().value());
      on.put("framework_id", o.frameworkId().value());
      on.put("slave_id", o.agentId().value());
      Resources r = Resources.of(o.resources());
      on.set("resources", resourceMap(r));
      offered = offered.plus(r);
    }
    f.set("used_resources", resourceMap(used));
    f.set("offered_resources", resourceMap(offered));
    return f;
  }

  static ObjectNode task(TaskEntry t) {
    ObjectNode n = F.objectNode();
    n.put("id", t.info.taskId().value());
    n.put("name", t.info.name());
    n.put("framework_id", t.frameworkId.value());
    n.put("executor_id", "");
    n.put("slave_id", t.agentId.value());
    n.put("state", t.state().name());
    n.put("role", t.role);
    n.set("resources", resourceMap(t.resources));
    ArrayNode statuses = n.putArray("statuses");
    for (TaskStatus s : t.statuses()) {
      ObjectNode sn = statuses.addObject();
      sn.put("state", s.state().name());
      sn.put("timestamp", s.timestamp() == null ? 0 : s.timestamp());
      if (s.message() != null) {
        sn.put("message", s.message());
      }
      if (s.containerStatus() != null) {
        sn.set("container_status", Json.toTree(s.containerStatus()));
      }
    }
    if (t.info.labels() != null) {
      n.set("labels", Json.toTree(t.info.labels().labels()));
    }
    if (t.info.container() != null) {
      n.set("container", Json.toTree(t.info.container()));
    }
    return n;
  }

  /** Mesos' flattened resources object: scalars as numbers, ranges and sets as text. */
  static ObjectNode resourceMap(Resources r) {
    ObjectNode n = F.objectNode();
    n.put("cpus", r.scalar("cpus"));
    n.put("mem", r.scalar("mem"));
    n.put("disk", r.scalar("disk"));
    n.put("gpus", r.scalar("gpus"));
    for (var res : r.toList()) {
      if (res.type() == Value.Type.RANGES) {
        n.put(res.name(), rangesText(r, res.name()));
      } else if (res.type() == Value.Type.SCALAR && !n.has(res.name())) {
        n.put(res.name(), r.scalar(res.name()));
      } else if (res.type() == Value.Type.SET && !n.has(res.name())) {
        n.put(res.name(), setText(r, res.name()));
      }
    }
    return n;
  }

  /** All ranges of {@code name} over every reservation, sorted and merged, as Mesos writes them. */
  private static String rangesText(Resources r, String name) {
    List<Value.Range> sorted = new ArrayList<>(r.ranges(name));
    sorted.sort(Comparator.comparingLong(Value.Range::begin));
    StringBuilder sb = new StringBuilder("[");
    Value.Range open = null;
    for (Value.Range range : sorted) {
      if (open != null && range.begin() <= open.end() + 1) {
        open = new Value.Range(open.begin(), Math.max(open.end(), range.end()));
        continue;
      }
      if (open != null) {
        appendRange(sb, open);
      }
      open = range;
    }
    if (open != null) {
      appendRange(sb, open);
    }
    return sb.append(']').toString();
  }

  private static void appendRange(StringBuilder sb, Value.Range range) {
    if (sb.length() > 1) {
      sb.append(", ");
    }
    sb.append(range.begin()).append('-').append(range.end());
  }

  /** The items of SET resource {@code name} over every reservation, as {@code {a, b}}. */
  private static String setText(Resources r, String name) {
    Set<String> items = new TreeSet<>();
    for (var res : r.toList()) {
      if (res.name().equals(name) && res.set() != null) {
        items.addAll(res.set().item());
      }
    }
    return "{" + String.join(", ", items) + "}";
  }

  private static JsonNode attributes(AgentEntry a) {
    ObjectNode n = F.objectNode();
    for (Attribute attr : a.info.attributes()) {
      if (attr.type() == Value.Type.SCALAR && attr.scalar() != null) {
        n.put(attr.name(), attr.scalar().value());
      } else {
        n.put(attr.name(), attr.valueString());
      }
    }
    return n;
  }

  static double seconds(Instant t) {
    return t.toEpochMilli() / 1000.0;
  }
}
