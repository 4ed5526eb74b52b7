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
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Health checks and statistics of real containers: COMMAND checks run inside the container
 * (through the runtime's exec), and /monitor/statistics reads the container's cgroups.
 */
@Tag("linux")
class ContainerHealthLinuxTest {
  private static InProcessCluster cluster;
  private static RecordingScheduler scheduler;
  private static SchedulerClient client;

  @BeforeAll
  static void start() throws Exception {
    RealContainers.assume();
    cluster = InProcessCluster.builder().containerizer(Containerizers.real()).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("root", "health-linux"),
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


  private static Offer launch(TaskId id, double memMb, String command, HealthCheck check) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, memMb).isPresent());
    Offer offer = scheduler.offerWith(0.1, memMb).orElseThrow();
    scheduler.rescinded.add(offer.id());
    client.launch(offer, List.of(HealthCheckTest.withHealthCheck(
        Tasks.shell(id, offer, 0.1, memMb, command), check))).join();
    return offer;
  }

  private static void killAndWait(TaskId id, Offer offer) {
    client.kill(id, offer.agentId()).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.terminal(id).isPresent());
  }

  @Test
  void commandCheckRunsInsideTheContainer() {
    TaskId id = Tasks.newId("exec-healthy");
    // /mnt/mesos/sandbox exists only in the container's mount namespace.
    Offer offer = launch(id, 32, "touch /mnt/mesos/sandbox/ready; sleep 1000",
        HealthCheckTest.check(HealthCheck.Type.COMMAND, 30, 3,
            CommandInfo.shell("test -f /mnt/mesos/sandbox/ready"), null, null));
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.updates.stream().anyMatch(
        u -> u.taskId().equals(id) && Boolean.TRUE.equals(u.healthy())
            && u.reason() == TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED));
    killAndWait(id, offer);
  }

  @Test
  void failingCommandCheckKillsTheContainer() {
    TaskId id = Tasks.newId("exec-dead");
    launch(id, 32, "sleep 1000", HealthCheckTest.check(HealthCheck.Type.COMMAND, 0, 1,
        CommandInfo.shell("exit 7"), null, null));
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.terminal(id).isPresent());
    TaskStatus end = scheduler.terminal(id).orElseThrow();
    assertThat(end.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(end.healthy()).isFalse();
    assertThat(end.message()).contains("Task failed health checks").contains("status 7");
  }

  @Test
  void monitorStatisticsShowsTheContainersCgroupNumbers() throws Exception {
    TaskId id = Tasks.newId("stats");
    Offer offer = launch(id, 48, "sleep 1000", null);
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    JsonNode stats = await().atMost(Duration.ofSeconds(30)).until(() -> statistics(id),
        Optional::isPresent).orElseThrow();
    assertThat(stats.path("mem_limit_bytes").asLong()).isEqualTo(48L * 1024 * 1024);
    assertThat(stats.path("mem_total_bytes").asLong()).isPositive();
    assertThat(stats.path("cpus_limit").asDouble()).isEqualTo(0.1);
    assertThat(stats.has("cpus_user_time_secs")).isTrue();
    assertThat(stats.has("cpus_system_time_secs")).isTrue();
    assertThat(stats.has("cpus_nr_periods")).isTrue();
    assertThat(stats.path("processes").asLong()).isGreaterThanOrEqualTo(1);
    killAndWait(id, offer);
  }

  private static Optional<JsonNode> statistics(TaskId id) throws Exception {
    HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(cluster.agents().get(0).url() + "/monitor/statistics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
    for (JsonNode e : Json.mapper().readTree(resp.body())) {
      if (e.path("executor_id").asText().equals(id.value())) {
        return Optional.of(e.path("statistics"));
      }
    }
    return Optional.empty();
  }
}
