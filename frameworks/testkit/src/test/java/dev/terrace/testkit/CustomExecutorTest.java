package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A custom executor (Mesos' ExecutorInfo) through a real master and agent: the agent starts it
 * with the first task, it subscribes on the v1 executor API and runs tasks, messages go both ways,
 * offers name it, its resources are taken once, and SHUTDOWN ends it with a FAILURE event.
 */
class CustomExecutorTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void executorRunsTasksExchangesMessagesAndShutsDown() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "executors"), s)
          .build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offerWith(1, 256).isPresent());
        Offer offer = s.offerWith(1, 256).orElseThrow();
        ExecutorId eid = ExecutorId.of("echo-1");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExecutorInfo executor = ExecutorInfo.custom(eid, CommandInfo.shell(java + " -Xmx64m -cp '"
            + System.getProperty("java.class.path") + "' dev.terrace.testkit.EchoExecutor"),
            List.of(cpus(0.1, offer), mem(128, offer)));

        // An executor without a command is refused; nothing else changes.
        TaskId bad = Tasks.newId("bad");
        c.launch(offer, List.of(TaskInfo.forExecutor("bad", bad, offer.agentId(), List.of(cpus(0.1, offer)),
            ExecutorInfo.custom(ExecutorId.of("nothing"), null, List.of()), null))).join();
        s.rescinded.add(offer.id()); // used up: never pick it again
        await().atMost(Duration.ofSeconds(10)).until(() -> s.terminal(bad).isPresent());
        assertThat(s.terminal(bad).orElseThrow().state()).isEqualTo(TaskState.TASK_ERROR);

        await().atMost(Duration.ofSeconds(30)).until(() -> s.offerWith(1, 256).isPresent());
        offer = s.offerWith(1, 256).orElseThrow();
        TaskId first = Tasks.newId("long");
        c.launch(offer, List.of(TaskInfo.forExecutor("long", first, offer.agentId(),
            List.of(cpus(0.2, offer), mem(32, offer)), executor, null))).join();
        s.rescinded.add(offer.id());
        await().atMost(Duration.ofSeconds(60)).until(() -> s.states(first).contains(TaskState.TASK_RUNNING));
        TaskStatus running = s.updates.stream().filter(u -> u.taskId().equals(first)
            && u.state() == TaskState.TASK_RUNNING).findFirst().orElseThrow();
        assertThat(running.source()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
        assertThat(running.executorId()).isEqualTo(eid);

        // Offers name the running executor; the executor's and the task's resources are in use.
        int mark = s.offers.size();
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offers.subList(mark, s.offers.size()).stream()
            .anyMatch(o -> o.executorIds().contains(eid)));
        assertThat(executors(cluster)).hasSize(1);
        assertThat(usedCpus(cluster)).isEqualTo(0.3);

        // Messages both ways.
        c.message(offer.agentId(), eid, "hello".getBytes(StandardCharsets.UTF_8)).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.messages.contains("echo-1: echo:hello"));

        // A second task on the same executor takes only its own resources.
        Offer next = s.offers.subList(mark, s.offers.size()).stream()
            .filter(o -> o.executorIds().contains(eid) && !s.rescinded.contains(o.id())).reduce((a, b) -> b)
            .orElseThrow();
        TaskId second = Tasks.newId("quick");
        c.launch(next, List.of(TaskInfo.forExecutor("quick", second, next.agentId(),
            List.of(cpus(0.1, next), mem(16, next)), executor, Bytes.utf8("finish")))).join();
        s.rescinded.add(next.id());
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(second).contains(TaskState.TASK_FINISHED));

        c.kill(first, offer.agentId()).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(first).contains(TaskState.TASK_KILLED));

        // SHUTDOWN: the executor stops, the framework hears FAILURE, its resources are free.
        c.shutdown(eid, offer.agentId()).join();
        await().atMost(Duration.ofSeconds(20)).until(() -> s.executorFailures.contains("echo-1"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(executors(cluster)).isEmpty();
          assertThat(usedCpus(cluster)).isZero();
        });
      }
    }
  }

  private static Resource cpus(double v, Offer o) {
    return Resource.scalar("cpus", v).withAllocationRole(o.allocationInfo().role());
  }

  private static Resource mem(double v, Offer o) {
    return Resource.scalar("mem", v).withAllocationRole(o.allocationInfo().role());
  }

  private JsonNode operator(InProcessCluster cluster, String body) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url()
        + "/api/v1")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  private JsonNode executors(InProcessCluster cluster) throws Exception {
    return operator(cluster, "{\"type\":\"GET_EXECUTORS\"}").path("get_executors").path("executors");
  }

  private double usedCpus(InProcessCluster cluster) throws Exception {
    double total = 0;
    for (JsonNode r : operator(cluster, "{\"type\":\"GET_AGENTS\"}").path("get_agents").path("agents").path(0)
        .path("allocated_resources")) {
      if (r.path("name").asText().equals("cpus")) {
        total += r.path("scalar").path("value").asDouble();
      }
    }
    return Math.round(total * 1000) / 1000.0;
  }
}
