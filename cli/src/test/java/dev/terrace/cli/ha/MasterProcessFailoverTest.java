package dev.terrace.cli.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import dev.terrace.testkit.RecordingScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three `terrace master` processes behind one ZooKeeper; an agent and a framework with a long
 * task. `kill -9` of the leading master's process: a standby takes over within seconds, the agent
 * and the framework reconnect to it, and the task is still there, RUNNING, never restarted.
 */
class MasterProcessFailoverTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final MasterProcesses masters = new MasterProcesses();

  @AfterEach
  void killMasters() {
    masters.close();
  }

  @Test
  void killDashNineOfTheLeaderLosesNothing() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(0)
        .containerizer(Containerizers.hostProcesses()).start()) {
      for (int i = 0; i < 3; i++) {
        masters.start(cluster.zkUrl(), cluster.workDir().resolve("master-proc-" + i));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> masters.leaderIndex().isPresent());

      RecordingScheduler scheduler = new RecordingScheduler();
      FrameworkInfo info = new FrameworkInfo("tester", "process-failover", null, 300.0, true, null,
          List.of(), null, null, null, null, null)
          .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(), info, scheduler).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
        Offer offer = scheduler.latestOffer().orElseThrow();
        TaskId id = TaskId.of("long-task");
        client.launch(offer, List.of(TaskInfo.command("long", id, offer.agentId(), List.of(
            Resource.scalar("cpus", 0.2).withAllocationRole("*"),
            Resource.scalar("mem", 32).withAllocationRole("*")), CommandInfo.shell("sleep 300")))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));

        int old = masters.leaderIndex().orElseThrow();
        long killedAt = System.nanoTime();
        masters.kill(old);

        await().atMost(Duration.ofSeconds(30)).until(() -> masters.leaderIndex().filter(i -> i != old).isPresent());
        int now = masters.leaderIndex().orElseThrow();
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("new leader after kill -9 in %.2f s%n", seconds);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          JsonNode s = state(masters.port(now));
          assertThat(s.path("slaves")).hasSize(1);
          JsonNode fw = s.path("frameworks").path(0);
          assertThat(fw.path("connected").asBoolean()).isTrue();
          assertThat(fw.path("tasks").path(0).path("id").asText()).isEqualTo(id.value());
          assertThat(fw.path("tasks").path(0).path("state").asText()).isEqualTo("TASK_RUNNING");
        });
        // Reconcile against the rebuilt state: the task is RUNNING; it was never restarted.
        int before = scheduler.updates.size();
        client.reconcile(List.of()).join();
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.updates.size() > before);
        TaskStatus reconciled = scheduler.updates.get(scheduler.updates.size() - 1);
        assertThat(reconciled.state()).isEqualTo(TaskState.TASK_RUNNING);
        assertThat(scheduler.states(id).stream().filter(s -> s == TaskState.TASK_STARTING)).hasSize(1);
        assertThat(scheduler.terminal(id)).isEmpty();
      }
    }
  }

  private JsonNode state(int port) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/master/state")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

}
