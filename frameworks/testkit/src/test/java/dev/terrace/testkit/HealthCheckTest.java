package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.HealthCheck;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Health checks end to end (framework, master, agent) with tasks as host processes, so without
 * root: each check type's healthy report, and a failing check killing its task. The probes run
 * with 0.1 s intervals so that the tests are quick; nothing asserts how long anything took.
 */
class HealthCheckTest {
  private static InProcessCluster cluster;
  private static RecordingScheduler scheduler;
  private static SchedulerClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("tester", "health-test"),
        scheduler).build().start();
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

  /** A quick check: no delay, 0.1 s interval, the given grace and failure threshold. */
  static HealthCheck check(HealthCheck.Type type, double grace, int failures, CommandInfo command,
      HealthCheck.Http http, HealthCheck.Tcp tcp) {
    return new HealthCheck(type, 0.0, 0.1, 5.0, failures, grace, command, http, tcp);
  }

  static TaskInfo withHealthCheck(TaskInfo t, HealthCheck check) {
    return t.withHealthCheck(check);
  }

  private static Offer launch(TaskId id, String command, HealthCheck check) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 32).isPresent());
    Offer offer = scheduler.offerWith(0.1, 32).orElseThrow();
    scheduler.rescinded.add(offer.id()); // used up: later launches wait for a fresh offer
    client.launch(offer, List.of(withHealthCheck(Tasks.shell(id, offer, 0.1, 32, command), check)))
        .join();
    return offer;
  }

  private static List<TaskStatus> healthUpdates(TaskId id) {
    return scheduler.updates.stream().filter(u -> u.taskId().equals(id)
        && u.reason() == TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED).toList();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits for the first health update, checks it is a healthy RUNNING one, kills the task. */
  private static void assertBecomesHealthyThenKill(TaskId id, Offer offer) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !healthUpdates(id).isEmpty());
    TaskStatus first = healthUpdates(id).get(0);
    assertThat(first.state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(first.healthy()).isTrue();
    client.kill(id, offer.agentId()).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.terminal(id).isPresent());
    TaskStatus end = scheduler.terminal(id).orElseThrow();
    assertThat(end.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(end.healthy()).isTrue(); // the last known health travels with later updates
  }

  @Test
  void commandCheckRunsWithTheTaskEnvironmentAndReportsHealthy() {
    TaskId id = Tasks.newId("cmd-healthy");
    // The check runs "inside the container": here, in the sandbox with the task's environment.
    Offer offer = launch(id, "touch ready; sleep 1000", check(HealthCheck.Type.COMMAND, 10, 3,
        CommandInfo.shell("test -f ready && test \"$MESOS_TASK_ID\" = " + id.value()), null, null));
    assertBecomesHealthyThenKill(id, offer);
  }

  @Test
  void httpCheckOfATaskServingHttpReportsHealthy() throws Exception {
    TaskId id = Tasks.newId("http-healthy");
    int port = freePort();
    // Failures until httpd listens fall in the 30 s grace period and are not reported.
    Offer offer = launch(id, "mkdir -p www && echo ok > www/index.html && exec busybox httpd -f"
        + " -p 127.0.0.1:" + port + " -h www", check(HealthCheck.Type.HTTP, 30, 3, null,
        new HealthCheck.Http(null, "http", port, "/index.html", null), null));
    assertBecomesHealthyThenKill(id, offer);
  }

  @Test
  void tcpCheckOfATaskServingTcpReportsHealthy() throws Exception {
    TaskId id = Tasks.newId("tcp-healthy");
    int port = freePort();
    Offer offer = launch(id, "mkdir -p www && exec busybox httpd -f -p 127.0.0.1:" + port + " -h www",
        check(HealthCheck.Type.TCP, 30, 3, null, null, new HealthCheck.Tcp(null, port)));
    assertBecomesHealthyThenKill(id, offer);
  }

  @Test
  void failingCheckKillsTheTask() throws Exception {
    TaskId id = Tasks.newId("tcp-dead");
    int port = freePort(); // nobody listens there
    launch(id, "sleep 1000", check(HealthCheck.Type.TCP, 0, 2, null, null,
        new HealthCheck.Tcp(null, port)));

    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.terminal(id).isPresent());
    TaskStatus end = scheduler.terminal(id).orElseThrow();
    assertThat(end.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(end.healthy()).isFalse();
    assertThat(end.message()).startsWith("Task failed health checks: 2 consecutive failures")
        .contains("127.0.0.1:" + port);
    // One unhealthy update, in RUNNING, before the end: the second failure changed nothing.
    List<TaskStatus> health = healthUpdates(id);
    assertThat(health).hasSize(1);
    assertThat(health.get(0).state()).isEqualTo(TaskState.TASK_RUNNING);
    assertThat(health.get(0).healthy()).isFalse();
    assertThat(scheduler.states(id)).containsSubsequence(TaskState.TASK_RUNNING,
        TaskState.TASK_RUNNING, TaskState.TASK_KILLED);
  }

  @Test
  void monitorStatisticsListsRunningTasks() throws Exception {
    TaskId id = Tasks.newId("stats");
    Offer offer = launch(id, "sleep 1000", null);
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> resp = http.send(HttpRequest.newBuilder(
        URI.create(cluster.agents().get(0).url() + "/monitor/statistics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
    JsonNode entry = null;
    for (JsonNode e : Json.mapper().readTree(resp.body())) {
      if (e.path("executor_id").asText().equals(id.value())) {
        entry = e;
      }
    }
    assertThat(entry).isNotNull();
    assertThat(entry.path("framework_id").asText()).isNotEmpty();
    assertThat(entry.path("source").asText()).isEqualTo(id.value());
    assertThat(entry.path("statistics").path("timestamp").asDouble()).isPositive();
    client.kill(id, offer.agentId()).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.terminal(id).isPresent());
  }
}
