package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.OperationId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Filters;
import dev.terrace.common.resources.Resources;
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
 * Dynamic reservations on a real cluster: a framework reserves part of an offer (RESERVE), is
 * offered the reservation again, launches on it, keeps it across a leader failover, and gives it
 * back (UNRESERVE); an operator reserves free resources for another role (RESERVE_RESOURCES),
 * which this framework is then never offered, and undoes it.
 */
class ReservationTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void frameworkAndOperatorReservationsAreOfferedKeptAndUndone() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2).agents(1)
        .containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(),
          FrameworkInfo.of("t", "reserver", "analytics"), s).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.latestOffer().isPresent());
        Offer first = s.latestOffer().orElseThrow();
        Resource cpus = Resource.scalar("cpus", 1).withDynamicReservation("analytics", null);
        Resource mem = Resource.scalar("mem", 64).withDynamicReservation("analytics", null);
        // A reservation for a role the framework does not have is refused; the rest goes through.
        Resource foreign = Resource.scalar("cpus", 0.5).withDynamicReservation("ops", null);
        int mark = s.offers.size();
        c.accept(List.of(first.id()), List.of(
            Operation.reserve(new OperationId("bad"), List.of(foreign)),
            Operation.reserve(new OperationId("good"), List.of(cpus, mem))), new Filters(0.0)).join();

        Offer reservedOffer = awaitOfferWith(s, mark, 1.0);
        // The reservation is usable: a task runs on the reserved cpus and mem.
        TaskId task = Tasks.newId("on-reservation");
        c.launch(reservedOffer, List.of(TaskInfo.command(task.value(), task, reservedOffer.agentId(),
            List.of(cpus.withScalar(0.5).withAllocationRole("analytics"),
                mem.withScalar(32).withAllocationRole("analytics")), CommandInfo.shell("sleep 60")))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(task).contains(TaskState.TASK_RUNNING));
        assertThat(reservedCpus(agent(cluster), "analytics")).isEqualTo(1.0);

        // A new leader applies the registry's reservations to the re-registering agent.
        int beforeFailover = s.offers.size();
        cluster.leader().orElseThrow().close();
        cluster.awaitLeader();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(reservedCpus(agent(cluster), "analytics")).isEqualTo(1.0));
        Offer again = awaitOfferWith(s, beforeFailover, 0.5);
        c.kill(task, again.agentId()).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.terminal(task).isPresent());

        // Operator reservations: free resources only; another role's are never offered here.
        HttpResponse<String> tooMuch = operator(cluster, reserveCall("RESERVE_RESOURCES", again.agentId().value(), 64, "ops"));
        assertThat(tooMuch.statusCode()).as(tooMuch.body()).isEqualTo(400);
        HttpResponse<String> ops = operator(cluster, reserveCall("RESERVE_RESOURCES", again.agentId().value(), 0.5, "ops"));
        assertThat(ops.statusCode()).as(ops.body()).isEqualTo(200);
        assertThat(reservedCpus(agent(cluster), "ops")).isEqualTo(0.5);
        int afterOps = s.offers.size();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.offers.size() > afterOps);
        assertThat(s.offers.subList(afterOps, s.offers.size())).allSatisfy(o ->
            assertThat(Resources.of(o.resources()).reservedFor("ops").isEmpty()).isTrue());
        assertThat(operator(cluster, reserveCall("UNRESERVE_RESOURCES", again.agentId().value(), 0.5, "ops"))
            .statusCode()).isEqualTo(200);
        assertThat(reservedCpus(agent(cluster), "ops")).isZero();

        // UNRESERVE through an offer that holds the whole reservation.
        int beforeUnreserve = s.offers.size();
        Offer whole = awaitOfferWith(s, 0, 1.0);
        c.accept(List.of(whole.id()), List.of(Operation.unreserve(new OperationId("undo"), List.of(cpus, mem))),
            new Filters(0.0)).join();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
            assertThat(reservedCpus(agent(cluster), "analytics")).isZero());
        assertThat(s.offers.size()).isGreaterThanOrEqualTo(beforeUnreserve);
      }
    }
  }

  /** The newest offer after {@code from} not rescinded whose "analytics" reservation has {@code cpus}. */
  private static Offer awaitOfferWith(RecordingScheduler s, int from, double cpus) {
    await().atMost(Duration.ofSeconds(30)).until(() -> findOffer(s, from, cpus) != null);
    return findOffer(s, from, cpus);
  }

  private static Offer findOffer(RecordingScheduler s, int from, double cpus) {
    List<Offer> recent = s.offers.subList(from, s.offers.size());
    for (int i = recent.size() - 1; i >= 0; i--) {
      Offer o = recent.get(i);
      if (!s.rescinded.contains(o.id())
          && Resources.of(o.resources()).reservedFor("analytics").scalar("cpus") >= cpus) {
        return o;
      }
    }
    return null;
  }

  private static String reserveCall(String type, String agent, double cpus, String role) {
    String field = type.toLowerCase();
    return "{\"type\":\"" + type + "\",\"" + field + "\":{\"agent_id\":{\"value\":\"" + agent + "\"},"
        + "\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":" + cpus + "},"
        + "\"reservations\":[{\"type\":\"DYNAMIC\",\"role\":\"" + role + "\"}]}]}}";
  }

  private static double reservedCpus(JsonNode agent, String role) {
    double total = 0;
    for (JsonNode r : agent.path("total_resources")) {
      JsonNode stack = r.path("reservations");
      if (r.path("name").asText().equals("cpus") && stack.size() > 0
          && stack.get(stack.size() - 1).path("role").asText().equals(role)) {
        total += r.path("scalar").path("value").asDouble();
      }
    }
    return total;
  }

  private HttpResponse<String> operator(InProcessCluster cluster, String body) throws Exception {
    MasterServer m = cluster.leader().orElseThrow();
    return http.send(HttpRequest.newBuilder(URI.create(m.url() + "/api/v1"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode agent(InProcessCluster cluster) throws Exception {
    HttpResponse<String> r = operator(cluster, "{\"type\":\"GET_AGENTS\"}");
    return Json.mapper().readTree(r.body()).path("get_agents").path("agents").path(0);
  }
}
