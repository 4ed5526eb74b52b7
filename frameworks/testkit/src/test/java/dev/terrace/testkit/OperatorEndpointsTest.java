package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mesos' operator endpoints ({@code /master/state-summary}, {@code /master/frameworks},
 * {@code /master/slaves}, {@code /master/tasks}, {@code /master/roles}, {@code jsonp}) and the v1
 * operator API's read calls, against one cluster with a running task and a finished one.
 */
class OperatorEndpointsTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static InProcessCluster cluster;
  private static SchedulerClient client;
  private static FrameworkId frameworkId;
  private static String agentId;
  private static TaskId running;
  private static TaskId finished;

  @BeforeAll
  static void start() throws Exception {
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
    assertThat(operator("{\"type\":\"UPDATE_WEIGHTS\",\"update_weights\":{\"weight_infos\":"
        + "[{\"role\":\"ops\",\"weight\":3}]}}").statusCode()).isEqualTo(200);
    RecordingScheduler scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("tester", "ops-test", "ops"),
        scheduler).build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
    frameworkId = scheduler.subscriptions.get(0);
    Offer offer = scheduler.latestOffer().orElseThrow();
    agentId = offer.agentId().value();
    finished = Tasks.newId("quick");
    running = Tasks.newId("sleeper");
    client.launch(offer, List.of(Tasks.shell(finished, offer, 0.25, 16, "true"))).join();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> scheduler.states(finished).contains(TaskState.TASK_FINISHED));
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offers.stream()
        .anyMatch(o -> !o.id().equals(offer.id())));
    Offer next = scheduler.offers.get(scheduler.offers.size() - 1);
    client.launch(next, List.of(Tasks.shell(running, next, 0.5, 32, "sleep 60"))).join();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> scheduler.states(running).contains(TaskState.TASK_RUNNING));
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static HttpResponse<String> raw(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = raw(path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return Json.mapper().readTree(r.body());
  }

  private static HttpResponse<String> operator(String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url() + "/api/v1"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode call(String type) throws Exception {
    HttpResponse<String> r = operator("{\"type\":\"" + type + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode n = Json.mapper().readTree(r.body());
    assertThat(n.path("type").asText()).isEqualTo(type);
    return n;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.path(field).asText()));
    return out;
  }

  @Test
  void stateSummaryCountsTasksPerAgentAndFramework() throws Exception {
    JsonNode s = get("/master/state-summary");
    assertThat(s.path("hostname").asText()).isNotEmpty();
    assertThat(s.has("cluster")).isTrue();
    JsonNode slave = s.path("slaves").get(0);
    assertThat(slave.path("id").asText()).isEqualTo(agentId);
    assertThat(slave.path("hostname").asText()).isNotEmpty();
    assertThat(slave.path("resources").path("cpus").asDouble()).isPositive();
    assertThat(slave.path("used_resources").path("cpus").asDouble()).isEqualTo(0.5);
    assertThat(slave.path("TASK_RUNNING").asInt()).isEqualTo(1);
    assertThat(slave.path("TASK_FINISHED").asInt()).isEqualTo(1);
    assertThat(slave.path("TASK_STAGING").asInt()).isZero();
    assertThat(slave.path("framework_ids").get(0).asText()).isEqualTo(frameworkId.value());
    JsonNode fw = s.path("frameworks").get(0);
    assertThat(fw.path("id").asText()).isEqualTo(frameworkId.value());
    assertThat(fw.path("name").asText()).isEqualTo("ops-test");
    assertThat(fw.path("active").asBoolean()).isTrue();
    assertThat(fw.path("TASK_RUNNING").asInt()).isEqualTo(1);
    assertThat(fw.path("TASK_FINISHED").asInt()).isEqualTo(1);
    assertThat(fw.path("slave_ids").get(0).asText()).isEqualTo(agentId);
    assertThat(fw.has("tasks")).isFalse();
  }

  @Test
  void frameworksAndSlavesEndpoints() throws Exception {
    JsonNode f = get("/master/frameworks");
    assertThat(texts(f.path("frameworks"), "id")).containsExactly(frameworkId.value());
    JsonNode fw = f.path("frameworks").get(0);
    assertThat(texts(fw.path("tasks"), "id")).containsExactly(running.value());
    assertThat(texts(fw.path("completed_tasks"), "id")).containsExactly(finished.value());
    assertThat(f.path("completed_frameworks").isArray()).isTrue();
    assertThat(get("/master/frameworks?framework_id=nope").path("frameworks")).isEmpty();

    JsonNode sl = get("/master/slaves");
    assertThat(texts(sl.path("slaves"), "id")).containsExactly(agentId);
    assertThat(sl.path("slaves").get(0).path("used_resources").path("mem").asDouble()).isEqualTo(32.0);
    assertThat(sl.path("recovered_slaves").isArray()).isTrue();
    assertThat(get("/master/slaves?slave_id=nope").path("slaves")).isEmpty();
  }

  @Test
  void tasksEndpointFiltersOrdersAndPages() throws Exception {
    JsonNode all = get("/master/tasks");
    assertThat(texts(all.path("tasks"), "id")).containsExactly(running.value(), finished.value());
    assertThat(texts(get("/master/tasks?order=asc").path("tasks"), "id"))
        .containsExactly(finished.value(), running.value());
    assertThat(texts(get("/master/tasks?order=asc&limit=1&offset=1").path("tasks"), "id"))
        .containsExactly(running.value());
    JsonNode one = get("/master/tasks?task_id=" + finished.value());
    assertThat(one.path("tasks").get(0).path("state").asText()).isEqualTo("TASK_FINISHED");
    assertThat(one.path("tasks").get(0).path("framework_id").asText()).isEqualTo(frameworkId.value());
    assertThat(get("/master/tasks?framework_id=nope").path("tasks")).isEmpty();
    assertThat(raw("/master/tasks?order=sideways").statusCode()).isEqualTo(400);
    assertThat(raw("/master/tasks?limit=x").statusCode()).isEqualTo(400);
  }

  @Test
  void rolesEndpointShowsWeightsFrameworksAndAllocation() throws Exception {
    JsonNode roles = get("/master/roles").path("roles");
    JsonNode ops = null;
    for (JsonNode r : roles) {
      if (r.path("name").asText().equals("ops")) {
        ops = r;
      }
    }
    assertThat(ops).as(roles.toString()).isNotNull();
    assertThat(ops.path("weight").asDouble()).isEqualTo(3.0);
    assertThat(ops.path("frameworks").get(0).asText()).isEqualTo(frameworkId.value());
    assertThat(ops.path("allocated").path("cpus").asDouble()).isEqualTo(0.5);
    assertThat(ops.path("resources").path("cpus").asDouble()).isGreaterThanOrEqualTo(0.5);
  }

  @Test
  void jsonpWrapsTheDocument() throws Exception {
    for (String path : List.of("/master/state", "/master/state-summary", "/master/tasks",
        "/master/frameworks", "/master/slaves", "/master/roles")) {
      HttpResponse<String> r = raw(path + "?jsonp=cb");
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/javascript");
      assertThat(r.body()).startsWith("cb({").endsWith("});");
      Json.mapper().readTree(r.body().substring(3, r.body().length() - 2));
    }
    assertThat(raw("/master/state?jsonp=alert(1)").statusCode()).isEqualTo(400);
  }

  @Test
  void v1GetAgentsTasksFrameworks() throws Exception {
    JsonNode agents = call("GET_AGENTS").path("get_agents").path("agents");
    assertThat(agents).hasSize(1);
    JsonNode agent = agents.get(0);
    assertThat(agent.path("agent_info").path("id").path("value").asText()).isEqualTo(agentId);
    assertThat(agent.path("active").asBoolean()).isTrue();
    assertThat(agent.path("registered_time").path("nanoseconds").asLong()).isPositive();
    assertThat(agent.path("total_resources").isArray()).isTrue();
    assertThat(texts(agent.path("allocated_resources"), "name")).contains("cpus", "mem");

    JsonNode tasks = call("GET_TASKS").path("get_tasks");
    assertThat(tasks.path("tasks")).hasSize(1);
    JsonNode t = tasks.path("tasks").get(0);
    assertThat(t.path("task_id").path("value").asText()).isEqualTo(running.value());
    assertThat(t.path("framework_id").path("value").asText()).isEqualTo(frameworkId.value());
    assertThat(t.path("agent_id").path("value").asText()).isEqualTo(agentId);
    assertThat(t.path("state").asText()).isEqualTo("TASK_RUNNING");
    assertThat(t.path("statuses").isArray()).isTrue();
    assertThat(tasks.path("completed_tasks").get(0).path("task_id").path("value").asText())
        .isEqualTo(finished.value());

    JsonNode fws = call("GET_FRAMEWORKS").path("get_frameworks").path("frameworks");
    assertThat(fws).hasSize(1);
    assertThat(fws.get(0).path("framework_info").path("id").path("value").asText()).isEqualTo(frameworkId.value());
    assertThat(fws.get(0).path("framework_info").path("name").asText()).isEqualTo("ops-test");
    assertThat(fws.get(0).path("active").asBoolean()).isTrue();
    assertThat(fws.get(0).path("connected").asBoolean()).isTrue();
  }

  @Test
  void v1OtherReadCalls() throws Exception {
    JsonNode master = call("GET_MASTER").path("get_master");
    assertThat(master.path("master_info").path("id").asText()).isNotEmpty();
    assertThat(master.path("start_time").asDouble()).isPositive();
    assertThat(master.path("elected_time").asDouble()).isPositive();

    JsonNode roles = call("GET_ROLES").path("get_roles").path("roles");
    assertThat(texts(roles, "name")).contains("ops");

    JsonNode state = call("GET_STATE").path("get_state");
    assertThat(state.path("get_tasks").path("tasks")).hasSize(1);
    assertThat(state.path("get_agents").path("agents")).hasSize(1);
    assertThat(state.path("get_frameworks").path("frameworks")).hasSize(1);
    assertThat(state.has("get_executors")).isTrue();

    JsonNode metrics = call("GET_METRICS").path("get_metrics").path("metrics");
    JsonNode runningMetric = null;
    for (JsonNode m : metrics) {
      if (m.path("name").asText().equals("master/tasks_running")) {
        runningMetric = m;
      }
    }
    assertThat(runningMetric).isNotNull();
    assertThat(runningMetric.path("value").asDouble()).isEqualTo(1.0);

    JsonNode flags = call("GET_FLAGS").path("get_flags").path("flags");
    assertThat(texts(flags, "name")).contains("hostname", "allocation_interval");
  }
}
