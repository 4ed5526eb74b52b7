package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The master's sandbox proxy for the web UI ({@code /master/sandbox/browse|read|download}) against
 * a live agent: listing with paths relative to the sandbox, reading from an offset (and the size
 * with offset -1), downloading, and refusing anything that would leave the task's sandbox.
 */
class SandboxProxyTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private InProcessCluster cluster;
  private SchedulerClient client;
  private TaskId task;
  private String base;

  @BeforeEach
  void start() throws Exception {
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
    RecordingScheduler scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("tester", "sandbox-proxy"),
        scheduler).build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
    Offer offer = scheduler.latestOffer().orElseThrow();
    task = Tasks.newId("sandbox");
    client.launch(offer, List.of(Tasks.shell(task, offer, 0.1, 32,
        "mkdir -p sub/deeper && printf 'hello sandbox' > sub/file.txt && echo out && sleep 120"))).join();
    await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.states(task).contains(TaskState.TASK_RUNNING));
    base = cluster.leader().orElseThrow().url() + "/master/sandbox/";
    await().atMost(Duration.ofSeconds(10)).until(() -> get("read", "path=sub/file.txt").statusCode() == 200);
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

  @Test
  void browsesReadsAndDownloadsInsideTheSandbox() throws Exception {
    JsonNode root = json(get("browse", ""));
    List<String> names = StreamSupport.stream(root.spliterator(), false).map(e -> e.path("path").asText()).toList();
    assertThat(names).contains("stdout", "stderr", "sub");
    JsonNode sub = StreamSupport.stream(root.spliterator(), false)
        .filter(e -> e.path("path").asText().equals("sub")).findFirst().orElseThrow();
    assertThat(sub.path("dir").asBoolean()).isTrue();

    JsonNode inSub = json(get("browse", "path=" + enc("/sub/")));
    assertThat(StreamSupport.stream(inSub.spliterator(), false).map(e -> e.path("path").asText()))
        .containsExactlyInAnyOrder("sub/deeper", "sub/file.txt");

    assertThat(json(get("read", "path=sub/file.txt&offset=0")).path("data").asText()).isEqualTo("hello sandbox");
    assertThat(json(get("read", "path=sub/file.txt&offset=6&length=3")).path("data").asText()).isEqualTo("san");
    assertThat(json(get("read", "path=sub/file.txt&offset=-1")).path("offset").asLong()).isEqualTo(13);

    HttpResponse<String> download = get("download", "path=sub/file.txt");
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo("hello sandbox");
    assertThat(download.headers().firstValue("Content-Disposition").orElse("")).contains("file.txt");
  }

  @Test
  void refusesPathsOutsideTheSandboxAndBadInput() throws Exception {
    assertThat(get("read", "path=" + enc("../../../../etc/passwd")).statusCode()).isEqualTo(400);
    assertThat(get("browse", "path=" + enc("sub/../..")).statusCode()).isEqualTo(400);
    assertThat(get("download", "path=" + enc("/../stdout")).statusCode()).isEqualTo(400);
    assertThat(get("read", "path=stdout&offset=-2").statusCode()).isEqualTo(400);
    assertThat(get("read", "path=stdout&offset=x").statusCode()).isEqualTo(400);
    assertThat(get("read", "path=no-such-file").statusCode()).isEqualTo(404);
    assertThat(get("read", "path=sub").statusCode()).isEqualTo(404);
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "read?task_id=nope&path=stdout"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<String> noTask = http.send(HttpRequest.newBuilder(URI.create(base + "browse")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noTask.statusCode()).isEqualTo(400);
  }

  @Test
  void theTaskLogEndpointStillReadsStdoutAndStderrOnly() throws Exception {
    String log = cluster.leader().orElseThrow().url() + "/master/task-log?task_id=" + enc(task.value());
    HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create(log + "&file=stdout&offset=0")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(json(out).path("data").asText()).contains("out");
    assertThat(http.send(HttpRequest.newBuilder(URI.create(log + "&file=" + enc("../../etc/passwd"))).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    assertThat(http.send(HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url()
        + "/master/task-log?task_id=nope")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
  }

  private HttpResponse<String> get(String what, String query) throws Exception {
    String q = "task_id=" + enc(task.value()) + (query.isEmpty() ? "" : "&" + query);
    return http.send(HttpRequest.newBuilder(URI.create(base + what + "?" + q)).timeout(Duration.ofSeconds(20))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.mapper().readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
