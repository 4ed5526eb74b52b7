package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.protobuf.MesosProtobuf;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LIST_FILES and READ_FILE on the master: task sandboxes at /tasks/<task id>, read from their agents. */
class OperatorFilesTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> call(InProcessCluster cluster, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url() + "/api/v1"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void listsAndReadsATasksSandboxThroughTheMaster() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "files"), s)
          .build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.latestOffer().isPresent());
        Offer offer = s.latestOffer().orElseThrow();
        TaskId id = Tasks.newId("files");
        c.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 16, "echo hello-files; sleep 60"))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(id).contains(TaskState.TASK_RUNNING));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          HttpResponse<String> list = call(cluster, "{\"type\":\"LIST_FILES\",\"list_files\":{\"path\":\"/tasks/"
              + id.value() + "\"}}");
          assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
          JsonNode infos = Json.mapper().readTree(list.body()).path("list_files").path("file_infos");
          assertThat(infos.findValuesAsText("path")).contains("/tasks/" + id.value() + "/stdout");
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          HttpResponse<String> read = call(cluster, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/tasks/"
              + id.value() + "/stdout\",\"offset\":0}}");
          assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
          JsonNode r = Json.mapper().readTree(read.body()).path("read_file");
          assertThat(new String(Base64.getDecoder().decode(r.path("data").asText()), StandardCharsets.UTF_8))
              .contains("hello-files");
          assertThat(r.path("size").asLong()).isPositive();
        });
        // The same through protobuf.
        HttpResponse<byte[]> pb = http.send(HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url()
            + "/api/v1")).header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(
            MesosProtobuf.operatorCallFromJson("{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/tasks/" + id.value()
                + "/stdout\",\"offset\":0}}"))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pb.statusCode()).isEqualTo(200);
        assertThat(MesosProtobuf.operatorResponseToJson(pb.body())).contains("\"read_file\"");

        // Refusals change nothing and say why.
        assertThat(call(cluster, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/tasks/" + id.value()
            + "/../../x\",\"offset\":0}}").statusCode()).isEqualTo(400);
        assertThat(call(cluster, "{\"type\":\"LIST_FILES\",\"list_files\":{\"path\":\"/etc\"}}").statusCode())
            .isEqualTo(404);
        assertThat(call(cluster, "{\"type\":\"LIST_FILES\",\"list_files\":{\"path\":\"/tasks/no-such-task\"}}")
            .statusCode()).isEqualTo(404);
        assertThat(call(cluster, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/tasks/" + id.value()
            + "/nothing-here\",\"offset\":0}}").statusCode()).isEqualTo(404);
        assertThat(call(cluster, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"/tasks/" + id.value()
            + "/stdout\",\"offset\":-5}}").statusCode()).isEqualTo(400);
      }
    }
  }
}
