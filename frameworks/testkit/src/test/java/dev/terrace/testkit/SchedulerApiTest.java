package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler API's checks and offer semantics through a real master, ZooKeeper and agent. The
 * agent runs tasks as plain host processes here, so this runs without root.
 */
class SchedulerApiTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private InProcessCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
    scheduler = new RecordingScheduler();
    FrameworkInfo info = FrameworkInfo.of("tester", "api-test")
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    client = SchedulerClient.builder(cluster.zkUrl(), info, scheduler).build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private String masterUrl() {
    return cluster.leader().orElseThrow().url();
  }

  private HttpResponse<String> post(String body, String contentType, String streamId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(masterUrl() + "/api/v1/scheduler"))
        .header("Content-Type", contentType).header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode state() throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(
        URI.create(masterUrl() + "/master/state")).build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The parts of the state a bad call must not change. */
  private String stateFingerprint() throws Exception {
    JsonNode s = state();
    return s.path("frameworks").toString().replaceAll("\"registered_time\":[0-9.]+", "")
        + s.path("slaves").path(0).path("used_resources");
  }

  @Test
  void malformedJsonIsRejectedWith400AndChangesNothing() throws Exception {
    String before = stateFingerprint();
    HttpResponse<String> r = post("{\"type\": \"SUBSCRIBE\", ", "application/json", null);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("Malformed JSON");
    HttpResponse<String> wrongType = post("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
        + "{\"user\":\"u\",\"name\":5}}}", "application/json", null);
    assertThat(wrongType.statusCode()).isEqualTo(400);
    assertThat(wrongType.body()).contains("framework_info.name");
    assertThat(stateFingerprint()).isEqualTo(before);
  }

  @Test
  void mesosStatusCodesForBadCalls() throws Exception {
    assertThat(post("{}", "text/plain", null).statusCode()).isEqualTo(415);
    String teardownOfStranger = "{\"type\":\"TEARDOWN\",\"framework_id\":{\"value\":\"nobody\"}}";
    assertThat(post(teardownOfStranger, "application/json", "x").statusCode()).isEqualTo(403);
    FrameworkId id = scheduler.subscriptions.get(0);
    String teardown = "{\"type\":\"TEARDOWN\",\"framework_id\":{\"value\":\"" + id.value() + "\"}}";
    HttpResponse<String> wrongStream = post(teardown, "application/json", "not-the-stream");
    assertThat(wrongStream.statusCode()).isEqualTo(400);
    assertThat(wrongStream.body()).contains("stream ID");
    String subscribeWithStream = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
        + "{\"user\":\"u\",\"name\":\"n\"}}}";
    assertThat(post(subscribeWithStream, "application/json", "abc").statusCode()).isEqualTo(400);
    assertThat(post("{\"type\":\"ACCEPT\",\"framework_id\":{\"value\":\"" + id.value() + "\"}}",
        "application/json", null).statusCode()).isEqualTo(400);
    // The framework is still there and subscribed.
    assertThat(state().path("frameworks").path(0).path("active").asBoolean()).isTrue();
  }

  @Test
  void taskThatDoesNotFitTheOfferGetsTaskErrorAndTheOfferComesBack() {
    Offer offer = scheduler.latestOffer().orElseThrow();
    TaskId id = Tasks.newId("too-big");
    client.launch(offer, List.of(Tasks.shell(id, offer, 64, 32, "true"))).join();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.terminal(id).isPresent());
    TaskStatus status = scheduler.terminal(id).orElseThrow();
    assertThat(status.state()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(status.reason()).isEqualTo(TaskStatus.Reason.REASON_TASK_INVALID);
    assertThat(status.message()).contains("not in the offered resources");
    // Nothing was used: after the refuse filter the whole agent is offered again.
    client.revive().join();
    await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.offers.stream()
        .filter(o -> !o.id().equals(offer.id()))
        .anyMatch(o -> Resources.of(o.resources()).scalar("cpus") == 2.0));
  }

  @Test
  void unknownOfferDropsTheTask() {
    Offer offer = scheduler.latestOffer().orElseThrow();
    TaskId id = Tasks.newId("no-offer");
    TaskInfo task = Tasks.shell(id, offer, 0.1, 32, "true");
    client.accept(List.of(OfferId.of("no-such-offer")), List.of(Operation.launch(List.of(task))), null).join();
    await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.terminal(id).isPresent());
    TaskStatus status = scheduler.terminal(id).orElseThrow();
    assertThat(status.state()).isEqualTo(TaskState.TASK_DROPPED);
    assertThat(status.reason()).isEqualTo(TaskStatus.Reason.REASON_INVALID_OFFERS);
  }

  @Test
  void duplicateTaskIdIsAnErrorAndTheFirstTaskRunsOn() {
    Offer offer = scheduler.latestOffer().orElseThrow();
    TaskId id = Tasks.newId("dup");
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 32, "sleep 30"),
        Tasks.shell(id, offer, 0.1, 32, "true"))).join();
    await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.states(id).contains(TaskState.TASK_ERROR)
        && scheduler.states(id).contains(TaskState.TASK_RUNNING));
    assertThat(scheduler.updates.stream().filter(s -> s.state() == TaskState.TASK_ERROR)
        .findFirst().orElseThrow().message()).contains("duplicate");
  }

  @Test
  void resourcesOfFinishedTasksComeBackAndAreNeverOfferedTwice() throws Exception {
    Offer offer = scheduler.latestOffer().orElseThrow();
    TaskId id = Tasks.newId("short");
    client.launch(offer, List.of(Tasks.shell(id, offer, 1.5, 512, "sleep 1"))).join();
    await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    // While it runs, a second framework sees only what is left, never the task's share.
    RecordingScheduler other = new RecordingScheduler();
    try (SchedulerClient second = SchedulerClient.builder(cluster.zkUrl(),
        FrameworkInfo.of("tester", "second"), other).build().start()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> !other.offers.isEmpty()
          || scheduler.terminal(id).isPresent());
      if (!scheduler.terminal(id).isPresent()) {
        for (Offer o : other.offers) {
          assertThat(Resources.of(o.resources()).scalar("cpus")).isLessThanOrEqualTo(0.5);
        }
      }
      await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.terminal(id).isPresent());
      assertThat(scheduler.terminal(id).orElseThrow().state()).isEqualTo(TaskState.TASK_FINISHED);
      await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThat(state().path("slaves").path(0).path("used_resources").path("cpus").asDouble())
              .isEqualTo(0.0));
    }
  }
}
