package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.master.MasterServer;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DEACTIVATE_AGENT, DRAIN_AGENT, REACTIVATE_AGENT and MARK_AGENT_GONE through the operator API of
 * a real cluster: what the framework sees, what GET_AGENTS says, and that a failover keeps it.
 */
class AgentAdministrationTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void drainDeactivatesKillsAndSurvivesFailoverThenReactivateAndMarkGone() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2).agents(2)
        .containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      FrameworkInfo info = FrameworkInfo.of("t", "admin")
          .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), info, s).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> agentsOffered(s).size() == 2);
        AgentId a = agentsOffered(s).get(0);
        AgentId b = agentsOffered(s).get(1);
        TaskId onA = launch(c, s, a, "on-a");
        TaskId onB = launch(c, s, b, "on-b");

        // Bad requests change nothing.
        assertThat(operator(cluster, "{\"type\":\"DRAIN_AGENT\",\"drain_agent\":{\"agent_id\":{\"value\":\"nope\"}}}")
            .statusCode()).isEqualTo(400);
        assertThat(operator(cluster, "{\"type\":\"DRAIN_AGENT\",\"drain_agent\":{\"agent_id\":{\"value\":\""
            + a.value() + "\"},\"mark_gone\":\"yes\"}}").statusCode()).isEqualTo(400);
        assertThat(operator(cluster, "{\"type\":\"REACTIVATE_AGENT\",\"reactivate_agent\":{\"agent_id\":{\"value\":\""
            + a.value() + "\"}}}").statusCode()).as("not deactivated").isEqualTo(400);
        assertThat(s.states(onA)).doesNotContain(TaskState.TASK_KILLED);

        HttpResponse<String> drain = operator(cluster, "{\"type\":\"DRAIN_AGENT\",\"drain_agent\":{\"agent_id\":"
            + "{\"value\":\"" + a.value() + "\"},\"max_grace_period\":{\"seconds\":1}}}");
        assertThat(drain.statusCode()).as(drain.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> s.states(onA).contains(TaskState.TASK_KILLED));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          JsonNode agentA = agent(cluster, a);
          assertThat(agentA.path("deactivated").asBoolean()).isTrue();
          assertThat(agentA.path("drain_info").path("state").asText()).isEqualTo("DRAINED");
        });
        assertThat(s.states(onB)).doesNotContain(TaskState.TASK_KILLED);

        // A new leader keeps the operator's decision: still deactivated, no offers from A.
        int before = s.offers.size();
        cluster.leader().orElseThrow().close();
        cluster.awaitLeader();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          JsonNode agentA = agent(cluster, a);
          assertThat(agentA.path("deactivated").asBoolean()).isTrue();
          assertThat(agentA.path("drain_info").path("state").asText()).isEqualTo("DRAINED");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offers.size() > before);
        assertThat(s.offers.subList(before, s.offers.size())).allMatch(o -> !o.agentId().equals(a));

        // Reactivated, A is offered again.
        assertThat(operator(cluster, "{\"type\":\"REACTIVATE_AGENT\",\"reactivate_agent\":{\"agent_id\":{\"value\":\""
            + a.value() + "\"}}}").statusCode()).isEqualTo(200);
        int mark = s.offers.size();
        await().atMost(Duration.ofSeconds(30)).until(() ->
            s.offers.subList(mark, s.offers.size()).stream().anyMatch(o -> o.agentId().equals(a)));
        assertThat(agent(cluster, a).path("deactivated").asBoolean()).isFalse();

        // Gone for good: B's task is TASK_GONE_BY_OPERATOR and B is no longer an agent.
        assertThat(operator(cluster, "{\"type\":\"MARK_AGENT_GONE\",\"mark_agent_gone\":{\"agent_id\":{\"value\":\""
            + b.value() + "\"}}}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> s.states(onB).contains(TaskState.TASK_GONE_BY_OPERATOR));
        TaskStatus gone = s.terminal(onB).orElseThrow();
        assertThat(gone.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR);
        assertThat(agents(cluster)).noneMatch(n -> n.path("agent_info").path("id").path("value").asText().equals(b.value()));
        // The gone agent is told to kill its task and stays out, also across its own reconnects.
        await().atMost(Duration.ofSeconds(20)).until(() -> cluster.agents().stream().filter(x -> b.equals(x.agent().agentId()))
            .allMatch(x -> x.agent().tasks().isEmpty()));
      }
    }
  }

  private static List<AgentId> agentsOffered(RecordingScheduler s) {
    return s.offers.stream().map(Offer::agentId).distinct().toList();
  }

  private static TaskId launch(SchedulerClient c, RecordingScheduler s, AgentId agent, String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> s.offers.stream()
        .anyMatch(o -> o.agentId().equals(agent) && !s.rescinded.contains(o.id())));
    Offer offer = s.offers.stream().filter(o -> o.agentId().equals(agent) && !s.rescinded.contains(o.id())
        ).reduce((x, y) -> y).orElseThrow();
    TaskId id = Tasks.newId(name);
    c.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 16, "sleep 120"))).join();
    s.rescinded.add(offer.id()); // used up: never pick it again
    await().atMost(Duration.ofSeconds(15)).until(() -> s.states(id).contains(TaskState.TASK_RUNNING));
    return id;
  }

  private HttpResponse<String> operator(InProcessCluster cluster, String body) throws Exception {
    MasterServer m = cluster.leader().orElseThrow();
    return http.send(HttpRequest.newBuilder(URI.create(m.url() + "/api/v1"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<JsonNode> agents(InProcessCluster cluster) throws Exception {
    HttpResponse<String> r = operator(cluster, "{\"type\":\"GET_AGENTS\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new java.util.ArrayList<>();
    Json.mapper().readTree(r.body()).path("get_agents").path("agents").forEach(out::add);
    return out;
  }

  private JsonNode agent(InProcessCluster cluster, AgentId id) throws Exception {
    return agents(cluster).stream()
        .filter(n -> n.path("agent_info").path("id").path("value").asText().equals(id.value()))
        .findFirst().orElseThrow();
  }
}
