package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.recordio.RecordIODecoder;
import dev.terrace.sdk.SchedulerClient;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The operator event stream (v1 operator SUBSCRIBE) of a real cluster: a snapshot first, then
 * every change as it happens, and the end of the stream when the leader goes away.
 */
class OperatorEventsTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void subscriberSeesSnapshotThenAgentsFrameworksAndTasksAsTheyChange() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2).agents(1)
        .heartbeat(Duration.ofSeconds(1)).containerizer(Containerizers.hostProcesses()).start()) {
      String url = cluster.leader().orElseThrow().url();
      await().atMost(Duration.ofSeconds(20)).until(() -> Json.mapper().readTree(http.send(
          HttpRequest.newBuilder(URI.create(url + "/master/state")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).path("slaves").size() == 1);
      List<JsonNode> events = new CopyOnWriteArrayList<>();
      HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(
              URI.create(cluster.leader().orElseThrow().url() + "/api/v1"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"SUBSCRIBE\"}")).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(stream.statusCode()).isEqualTo(200);
      Thread reader = new Thread(() -> read(stream.body(), events), "operator-events");
      reader.start();

      await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
      JsonNode subscribed = events.get(0);
      assertThat(subscribed.path("type").asText()).isEqualTo("SUBSCRIBED");
      assertThat(subscribed.path("subscribed").path("get_state").path("get_agents").path("agents")).hasSize(1);

      cluster.startAgent();
      await().atMost(Duration.ofSeconds(10)).until(() -> types(events).contains("AGENT_ADDED"));

      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "watched"), s)
          .build().start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> types(events).contains("FRAMEWORK_ADDED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> s.latestOffer().isPresent());
        Offer offer = s.latestOffer().orElseThrow();
        TaskId id = Tasks.newId("watched");
        c.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 16, "sleep 1"))).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> s.terminal(id).isPresent());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          JsonNode added = events.stream().filter(e -> e.path("type").asText().equals("TASK_ADDED"))
              .findFirst().orElseThrow();
          assertThat(added.path("task_added").path("task").path("task_id").path("value").asText()).isEqualTo(id.value());
          List<String> states = events.stream().filter(e -> e.path("type").asText().equals("TASK_UPDATED"))
              .map(e -> e.path("task_updated").path("status").path("state").asText()).toList();
          assertThat(states).contains(TaskState.TASK_RUNNING.name(), TaskState.TASK_FINISHED.name());
        });
        c.teardown().join();
        await().atMost(Duration.ofSeconds(10)).until(() -> types(events).contains("FRAMEWORK_REMOVED"));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> types(events).contains("HEARTBEAT"));

      // A leader that goes away ends the stream: the client resubscribes to the next one.
      cluster.leader().orElseThrow().close();
      reader.join(20_000);
      assertThat(reader.isAlive()).isFalse();
    }
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("type").asText()).toList();
  }

  private static void read(InputStream in, List<JsonNode> events) {
    RecordIODecoder decoder = new RecordIODecoder(64 << 20, record -> {
      try {
        events.add(Json.mapper().readTree(record));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        decoder.feed(buf, 0, n);
      }
    } catch (java.io.IOException e) {
      // The master went away: the stream is over either way.
    }
  }
}
