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
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The master's web UI in a real headless Chromium against a live cluster: the page must show the
 * agent, the framework and a running task, and a task's panel must show what the task printed
 * (read through the master's {@code /master/task-log}). Skipped when no {@code chromium} is
 * installed ({@code scripts/install-test-deps.sh} installs it).
 */
class WebUiTest {
  private static final String MARKER = "hello-from-the-web-ui-test";
  private final HttpClient http = HttpClient.newHttpClient();
  private InProcessCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(chromium() != null,
        "chromium is not installed (apt-get install chromium, or scripts/install-test-deps.sh)");
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("tester", "ui-test-framework"),
        scheduler).build().start();
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

  @Test
  void pageShowsAgentsFrameworksRunningTasksAndATaskLog() throws Exception {
    Offer offer = scheduler.latestOffer().orElseThrow();
    TaskId id = Tasks.newId("ui-task");
    // The marker is printed inside a tag-like string: the page must show it as text, not markup.
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 32,
        "echo '<b>" + MARKER + "</b>'; sleep 120"))).join();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    String base = cluster.leader().orElseThrow().url();

    // The proxy first, so a browser failure below is not mistaken for a missing log.
    await().atMost(Duration.ofSeconds(10)).until(() -> get(base + "/master/task-log?task_id="
        + id.value() + "&file=stdout&offset=0").path("data").asText().contains(MARKER));
    assertThat(status(base + "/master/task-log?task_id=nope")).isEqualTo(404);
    assertThat(status(base + "/master/task-log?task_id=" + id.value() + "&file=../../etc/passwd"))
        .isEqualTo(400);

    String dom = chromium("--dump-dom", base + "/");
    assertThat(dom).contains(offer.hostname()).contains("ui-test-framework").contains(id.value());
    assertThat(dom).containsPattern("<td>" + id.value() + "</td>.*TASK_RUNNING");

    // The task's panel, linked by the URL hash: its stdout tail, escaped.
    String panel = chromium("--dump-dom", base + "/#task=" + id.value());
    assertThat(panel).contains("&lt;b&gt;" + MARKER + "&lt;/b&gt;").doesNotContain("<b>" + MARKER);

    // A framework's panel: the allocator's explanation of its offers.
    String fwId = scheduler.subscriptions.get(0).value();
    // The framework declined with a filter just now (it holds a running task): the explanation
    // then has a refusal with an 'until' instant, which once left this request unanswered.
    HttpResponse<String> why = http.send(HttpRequest.newBuilder(URI.create(base
        + "/master/allocation/explain?framework_id=" + fwId)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(why.statusCode()).as(why.body()).isEqualTo(200);
    String fwPanel = chromium("--dump-dom", base + "/#framework=" + fwId);
    assertThat(fwPanel).contains("Allocator explanation").contains("\"offerable\"");

    Path png = Paths.get("target", "webui-screenshot.png").toAbsolutePath();
    Files.deleteIfExists(png);
    chromium("--screenshot=" + png, "--window-size=1280,900", base + "/#task=" + id.value());
    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(10_000L);
  }

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? Json.mapper().readTree(r.body()) : Json.mapper().createObjectNode();
  }

  private int status(String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String chromium(String... args) throws Exception {
    return HeadlessChromium.run(args);
  }

  private static String chromium() {
    return HeadlessChromium.binary();
  }
}
