package dev.terrace.master.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.master.Master;
import dev.terrace.master.allocator.Explanation;
import dev.terrace.master.registry.QuotaRecord;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import dev.terrace.master.metrics.MasterMetrics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Mesos v1 operator API ({@code POST /api/v1}, JSON): GET_HEALTH, GET_VERSION, GET_MASTER,
 * GET_AGENTS, GET_FRAMEWORKS, GET_EXECUTORS, GET_TASKS, GET_ROLES, GET_STATE, GET_METRICS,
 * GET_FLAGS (their payloads built by {@link OperatorV1}), GET_WEIGHTS, UPDATE_WEIGHTS, GET_QUOTA
 * and UPDATE_QUOTA (Mesos 1.9's {@code quota_configs}), SUBSCRIBE ({@link OperatorEventStream}),
 * the agent, maintenance and TEARDOWN calls of {@link OperatorCommands}, plus Terrace's answer to
 * "why does my framework get no offers" ({@code GET /master/allocation/explain?framework_id=F} or
 * {@code ?role=R}).
 */
public final class OperatorApi {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final Supplier<Master> master;
  private final String version;
  private final Instant startTime;
  private final Supplier<Map<String, String>> flags;
  private final MasterMetrics metrics;
  private final OperatorCallGate gate;
  /** Made on first use, on the context that serves the API. */
  private LoggingLevel loggingLevel;
  private dev.terrace.master.http.OperatorFiles operatorFiles;
  private dev.terrace.security.tls.TlsConfig agentTls;

  public OperatorApi(Supplier<Master> master, String version, Instant startTime,
      Supplier<Map<String, String>> flags, MasterMetrics metrics) {
    this(master, version, startTime, flags, metrics, OperatorCallGate.OPEN);
  }

  /** @param gate authorizes each parsed call before it acts (see {@code master.auth}) */
  public OperatorApi(Supplier<Master> master, String version, Instant startTime,
      Supplier<Map<String, String>> flags, MasterMetrics metrics, OperatorCallGate gate) {
    this.gate = gate;
    this.master = master;
    this.version = version;
    this.startTime = startTime;
    this.flags = flags;
    this.metrics = metrics;
  }

  /** Agents are reached over TLS (LIST_FILES, READ_FILE) when the master serves TLS. */
  public OperatorApi agentTls(dev.terrace.security.tls.TlsConfig tls) {
    this.agentTls = tls;
    return this;
  }

  public void handle(RoutingContext ctx) {
    HttpServerResponse resp = ctx.response();
    OperatorEncoding in = OperatorEncoding.ofContentType(ctx.request().getHeader("Content-Type"));
    if (in == null) {
      error(resp, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
      return;
    }
    OperatorEncoding out = OperatorEncoding.accepted(ctx.request().getHeader("Accept"), in);
    if (out == null) {
      error(resp, 406, "Expecting 'Accept' to allow application/json or application/x-protobuf");
      return;
    }
    Master m = master.get();
    if (m == null) {
      error(resp, 503, "No leading master");
      return;
    }
    JsonNode call;
    try {
      call = in.decodeCall(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    } catch (WireFormatException e) {
      error(resp, 400, "Failed to parse body into Call: " + e.getMessage());
      return;
    }
    String type = call.path("type").asText("");
    String refused = gate.refuse(ctx, call, m);
    if (refused != null) {
      error(resp, 403, refused);
      return;
    }
    switch (type) {
      case "GET_HEALTH" -> reply(resp, out, response(type, "get_health", F.objectNode().put("healthy", true)));
      case "GET_VERSION" -> reply(resp, out, response(type, "get_version",
          F.objectNode().set("version_info", F.objectNode().put("version", version))));
      case "GET_MASTER" -> reply(resp, out, response(type, "get_master", OperatorV1.getMaster(m, startTime)));
      case "GET_AGENTS" -> reply(resp, out, response(type, "get_agents", OperatorV1.getAgents(m)));
      case "GET_FRAMEWORKS" -> reply(resp, out, response(type, "get_frameworks", OperatorV1.getFrameworks(m)));
      case "GET_TASKS" -> reply(resp, out, response(type, "get_tasks", OperatorV1.getTasks(m)));
      case "GET_ROLES" -> reply(resp, out, response(type, "get_roles", OperatorV1.getRoles(m)));
      case "GET_STATE" -> reply(resp, out, response(type, "get_state", OperatorV1.getState(m)));
      case "GET_FLAGS" -> reply(resp, out, response(type, "get_flags", OperatorV1.getFlags(flags.get())));
      case "GET_METRICS" -> {
        metrics.refresh(m, Instant.now());
        reply(resp, out, response(type, "get_metrics", OperatorV1.getMetrics(metrics.snapshot())));
      }
      case "GET_WEIGHTS" -> reply(resp, out, response(type, "get_weights", weights(m)));
      case "UPDATE_WEIGHTS" -> updateWeights(m, call.path("update_weights"), resp);
      case "GET_QUOTA" -> reply(resp, out, response(type, "get_quota", quota(m)));
      case "UPDATE_QUOTA" -> updateQuota(m, call.path("update_quota"), resp);
      case "GET_MAINTENANCE_SCHEDULE" -> reply(resp, out, response(type, "get_maintenance_schedule",
          OperatorCommands.getSchedule(m)));
      case "GET_MAINTENANCE_STATUS" -> reply(resp, out, response(type, "get_maintenance_status",
          OperatorCommands.getStatus(m)));
      case "SUBSCRIBE" -> OperatorEventStream.open(ctx.vertx(), m, resp, m.config().heartbeatInterval(), out);
      case "GET_LOGGING_LEVEL" -> {
        if (logging(ctx).supported()) {
          reply(resp, out, response(type, "get_logging_level", F.objectNode().put("level", logging(ctx).level())));
        } else {
          error(resp, 501, "The logging backend does not support changing levels");
        }
      }
      case "SET_LOGGING_LEVEL" -> setLoggingLevel(ctx, call.path("set_logging_level"));
      case "LIST_FILES" -> files(ctx, out, type, "list_files",
          files(ctx).list(m, call.path("list_files").path("path").asText(null),
              ctx.request().getHeader("Authorization")));
      case "READ_FILE" -> {
        JsonNode body = call.path("read_file");
        long offset = body.path("offset").asLong(0);
        if (offset < 0 || (body.has("length") && body.path("length").asLong(-1) < 0)) {
          error(resp, 400, "Expecting 'read_file.offset' and 'length' to be non-negative");
          return;
        }
        files(ctx, out, type, "read_file", files(ctx).read(m, body.path("path").asText(null), offset,
            body.has("length") ? body.path("length").asLong() : null, ctx.request().getHeader("Authorization")));
      }
      case "GET_EXECUTORS" -> reply(resp, out, response(type, "get_executors", OperatorV1.getExecutors(m)));
      case "" -> error(resp, 400, "Expecting 'type' to be present");
      default -> {
        Future<Void> done = OperatorCommands.run(m, type, call);
        if (done == null) {
          if (OperatorCallTypes.MESOS.contains(type)) {
            error(resp, 501, "Operator call " + type + " is not implemented by this master yet");
          } else {
            error(resp, 400, "Unknown operator call type '" + type + "'");
          }
          return;
        }
        done.onSuccess(v -> resp.setStatusCode(200).end()).onFailure(e -> {
          if (e instanceof IllegalArgumentException) {
            error(resp, 400, e.getMessage());
          } else {
            error(resp, 503, "Registry write failed: " + e.getMessage());
          }
        });
      }
    }
  }

  private dev.terrace.master.http.OperatorFiles files(RoutingContext ctx) {
    if (operatorFiles == null) {
      operatorFiles = new dev.terrace.master.http.OperatorFiles(ctx.vertx(), agentTls);
    }
    return operatorFiles;
  }

  /** Answers LIST_FILES / READ_FILE once the task's agent did. */
  private void files(RoutingContext ctx, OperatorEncoding out, String type, String field,
      Future<ObjectNode> answer) {
    answer.onSuccess(payload -> reply(ctx.response(), out, response(type, field, payload)))
        .onFailure(e -> error(ctx.response(),
            e instanceof dev.terrace.master.http.OperatorFiles.FileCallException f ? f.status() : 500,
            e.getMessage()));
  }

  private LoggingLevel logging(RoutingContext ctx) {
    if (loggingLevel == null) {
      loggingLevel = new LoggingLevel(ctx.vertx());
    }
    return loggingLevel;
  }

  private void setLoggingLevel(RoutingContext ctx, JsonNode body) {
    LoggingLevel logging = logging(ctx);
    if (!logging.supported()) {
      error(ctx.response(), 501, "The logging backend does not support changing levels");
      return;
    }
    JsonNode level = body.path("level");
    try {
      if (!level.canConvertToInt() || !level.isIntegralNumber()) {
        throw new IllegalArgumentException("Expecting 'set_logging_level.level' to be a number");
      }
      var d = OperatorCommands.duration(body.path("duration"));
      logging.set(level.asInt(), d == null ? null : d.toDuration());
    } catch (IllegalArgumentException e) {
      error(ctx.response(), 400, e.getMessage());
      return;
    }
    ctx.response().setStatusCode(200).end();
  }

  /** GET /master/allocation/explain?framework_id=F or ?role=R. */
  public void explain(RoutingContext ctx) {
    Master m = master.get();
    if (m == null) {
      error(ctx.response(), 503, "No leading master");
      return;
    }
    String fw = ctx.queryParams().get("framework_id");
    String role = ctx.queryParams().get("role");
    if ((fw == null) == (role == null)) {
      error(ctx.response(), 400, "Give exactly one of the query parameters 'framework_id' and 'role'");
      return;
    }
    var answer = fw != null ? m.explain(FrameworkId.of(fw)) : m.explainRole(role);
    Future.fromCompletionStage(answer, ctx.vertx().getOrCreateContext())
        .map(OperatorApi::explanation)
        // Built inside map, so a failure to build the answer is a 500, not a request left open.
        .onSuccess(n -> json(ctx.response(), n))
        .onFailure(e -> error(ctx.response(), 500, String.valueOf(e.getMessage())));
  }

  private static ObjectNode explanation(Explanation e) {
    ObjectNode n = F.objectNode();
    n.put("subject", e.subject());
    n.put("offerable", e.offerable());
    n.put("summary", e.summary());
    // By hand: Refusal.until is an Instant, which the shared mapper cannot write (it has no
    // JSR-310 module); seconds since the epoch as elsewhere in the Mesos JSON.
    var refusals = n.putArray("refusals");
    for (var r : e.refusals()) {
      ObjectNode o = refusals.addObject();
      o.put("reason", r.reason().name());
      o.put("role", r.role());
      o.put("agents", r.agents());
      if (r.until() != null) {
        o.put("until", r.until().toEpochMilli() / 1000.0);
      }
      var behind = o.putArray("behind");
      r.behind().forEach(behind::add);
      o.put("message", r.message());
    }
    return n;
  }

  private void updateWeights(Master m, JsonNode body, HttpServerResponse resp) {
    Map<String, Double> changed = new LinkedHashMap<>();
    for (JsonNode w : body.path("weight_infos")) {
      String role = w.path("role").asText(null);
      double weight = w.path("weight").asDouble(Double.NaN);
      if (role == null || role.isEmpty() || !(weight > 0) || Double.isInfinite(weight)) {
        error(resp, 400, "Each weight_info needs a 'role' and a positive 'weight'");
        return;
      }
      changed.put(role, weight);
    }
    if (changed.isEmpty()) {
      error(resp, 400, "Expecting 'update_weights.weight_infos' to name at least one role");
      return;
    }
    m.updateWeights(changed).onSuccess(v -> resp.setStatusCode(200).end())
        .onFailure(e -> error(resp, 503, "Registry write failed: " + e.getMessage()));
  }

  private void updateQuota(Master m, JsonNode body, HttpServerResponse resp) {
    Map<String, QuotaRecord> changes = new LinkedHashMap<>();
    try {
      for (JsonNode c : body.path("quota_configs")) {
        String role = c.path("role").asText(null);
        if (role == null || role.isEmpty()) {
          throw new IllegalArgumentException("each quota_config needs a 'role'");
        }
        changes.put(role, new QuotaRecord(amounts(c.path("guarantees")), amounts(c.path("limits"))));
      }
    } catch (IllegalArgumentException e) {
      error(resp, 400, "Invalid quota: " + e.getMessage());
      return;
    }
    if (changes.isEmpty()) {
      error(resp, 400, "Expecting 'update_quota.quota_configs' to hold at least one config");
      return;
    }
    Future<Void> all = Future.succeededFuture();
    for (var e : changes.entrySet()) {
      all = all.compose(v -> m.updateQuota(e.getKey(), e.getValue()));
    }
    all.onSuccess(v -> resp.setStatusCode(200).end())
        .onFailure(e -> error(resp, 503, "Registry write failed: " + e.getMessage()));
  }

  /** Mesos' {@code map<string, Value.Scalar>}: {@code {"cpus": {"value": 2}}}. */
  private static Map<String, Double> amounts(JsonNode map) {
    Map<String, Double> out = new LinkedHashMap<>();
    map.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue().path("value");
      if (!v.isNumber() || v.asDouble() < 0) {
        throw new IllegalArgumentException("'" + e.getKey() + "' needs a non-negative scalar 'value'");
      }
      out.put(e.getKey(), v.asDouble());
    });
    return out;
  }

  private static ObjectNode weights(Master m) {
    ObjectNode n = F.objectNode();
    ArrayNode infos = n.putArray("weight_infos");
    m.weights().forEach((role, w) -> infos.addObject().put("role", role).put("weight", w));
    return n;
  }

  private static ObjectNode quota(Master m) {
    ObjectNode n = F.objectNode();
    ArrayNode configs = n.putObject("status").putArray("configs");
    m.quota().forEach((role, q) -> {
      ObjectNode c = configs.addObject().put("role", role);
      ObjectNode g = c.putObject("guarantees");
      q.guarantees().forEach((k, v) -> g.putObject(k).put("value", v));
      ObjectNode l = c.putObject("limits");
      q.limits().forEach((k, v) -> l.putObject(k).put("value", v));
    });
    return n;
  }

  private static ObjectNode response(String type, String field, ObjectNode payload) {
    ObjectNode n = F.objectNode();
    n.put("type", type);
    n.set(field, payload);
    return n;
  }

  private static void reply(HttpServerResponse resp, OperatorEncoding encoding, JsonNode body) {
    byte[] bytes;
    try {
      bytes = encoding.encodeResponse(body);
    } catch (WireFormatException e) {
      error(resp, 500, "Cannot encode the answer: " + e.getMessage());
      return;
    }
    resp.putHeader("Content-Type", encoding.mime).end(io.vertx.core.buffer.Buffer.buffer(bytes));
  }

  private static void json(HttpServerResponse resp, JsonNode body) {
    resp.putHeader("Content-Type", "application/json").end(body.toString());
  }

  private static void error(HttpServerResponse resp, int code, String message) {
    resp.setStatusCode(code).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
  }
}
