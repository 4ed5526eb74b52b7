package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A custom executor in a real container across an agent crash (killed without a word to its
 * tasks or the master, restarted on its work dir): one that subscribes again keeps its tasks
 * running and under the framework's control; one that died meanwhile, or that does not come back
 * in time, has its tasks fail with the reason.
 */
@Tag("linux")
class ExecutorRecoveryLinuxTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private Path workDir;
  private InProcessCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;
  private ExecutorId executorId;

  @BeforeEach
  void start() throws Exception {
    RealContainers.assume();
    workDir = Files.createTempDirectory("terrace-executor-recovery");
    cluster = InProcessCluster.builder().workDir(workDir).containerizer(Containerizers.real())
        .statusRetry(Duration.ofSeconds(1)).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("root", "executor-recovery-test")
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE), scheduler).build().start();
    executorId = ExecutorId.of(Tasks.newId("echo").value());
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
      // Nothing of the executor outlives the cluster.
      await().atMost(Duration.ofSeconds(60)).until(() -> executorPid().isEmpty());
    }
    if (workDir != null) {
      try (Stream<Path> walk = Files.walk(workDir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Launches a task on a new EchoExecutor (with {@code args}) and waits until it runs. The executor
   * gets a full core: a JVM throttled to a fraction of one is slow to reconnect.
   */
  private TaskId launchOnExecutor(String args) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(1.1, 300).isPresent());
    Offer offer = scheduler.offerWith(1.1, 300).orElseThrow();
    scheduler.rescinded.add(offer.id());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ExecutorInfo executor = ExecutorInfo.custom(executorId, CommandInfo.shell(java
        + " -Xmx48m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + ContainerClassPath.get()
        + "' dev.terrace.testkit.EchoExecutor " + args), List.of(cpus(1, offer), mem(256, offer)));
    TaskId id = Tasks.newId("on-executor");
    client.launch(offer, List.of(TaskInfo.forExecutor("on-executor", id, offer.agentId(),
        List.of(cpus(0.1, offer), mem(16, offer)), executor, null))).join();
    await().atMost(Duration.ofSeconds(120)).until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    return id;
  }

  @Test
  void anExecutorThatSubscribesAgainKeepsItsTaskRunningAndTheTaskCanBeKilledAfterwards() throws Exception {
    TaskId id = launchOnExecutor("");
    long pid = executorPid().orElseThrow();
    Offer any = scheduler.offers.get(0);

    Path dir = cluster.crashAgent(0);
    cluster.startAgent(dir);
    await().atMost(Duration.ofSeconds(60)).until(this::agentConnected);

    // (The master takes the re-registration in after the agent counts itself connected.)
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> masterState(id).equals("TASK_RUNNING"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the executor said: " + executorStderr(dir), e);
    }
    assertThat(executorPid()).contains(pid); // the same process, not a new executor
    assertThat(scheduler.states(id)).noneMatch(TaskState::isTerminal);
    client.kill(id, any.agentId()).join();
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.terminal(id).isPresent());
    TaskStatus killed = scheduler.terminal(id).orElseThrow();
    assertThat(killed.state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(killed.source()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
  }

  @Test
  void anExecutorKilledWhileTheAgentIsDownFailsItsTask() throws Exception {
    TaskId id = launchOnExecutor("");
    long pid = executorPid().orElseThrow();

    Path dir = cluster.crashAgent(0);
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    // conmon, not the agent, records the exit: wait for its record before the agent comes back.
    await().atMost(Duration.ofSeconds(30)).until(() -> exitRecorded(dir));
    cluster.startAgent(dir);

    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.terminal(id).isPresent());
    TaskStatus failed = scheduler.terminal(id).orElseThrow();
    assertThat(failed.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.reason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_TERMINATED);
    assertThat(failed.message()).contains("while the agent was down");
    await().atMost(Duration.ofSeconds(30)).until(() -> masterState(id).isEmpty()
        || masterState(id).equals("TASK_FAILED"));
  }

  @Test
  void anExecutorThatDoesNotSubscribeAgainIsKilledAndItsTaskFails() throws Exception {
    TaskId id = launchOnExecutor("--no-reconnect"); // alive, but it never subscribes again
    long pid = executorPid().orElseThrow();
    Path dir = cluster.crashAgent(0);
    cluster.startAgent(dir);

    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.terminal(id).isPresent());
    TaskStatus failed = scheduler.terminal(id).orElseThrow();
    assertThat(failed.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.reason()).isEqualTo(TaskStatus.Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT);
    assertThat(failed.message()).contains("did not subscribe again");
    await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(Path.of("/proc/" + pid)));
  }

  /** The host pid of the EchoExecutor with this test's executor id, if it runs. */
  private Optional<Long> executorPid() throws IOException {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          String cmd = Files.readString(p.resolve("cmdline"));
          String env = Files.readString(p.resolve("environ"));
          if (cmd.contains("dev.terrace.testkit.EchoExecutor")
              && env.contains("MESOS_EXECUTOR_ID=" + executorId.value() + "\0")) {
            return Optional.of(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException gone) {
          // exited while listed
        }
      }
    }
    return Optional.empty();
  }

  private String executorStderr(Path agentDir) throws IOException {
    try (Stream<Path> files = Files.walk(agentDir.resolve("agents"))) {
      return files.filter(p -> p.getFileName().toString().equals("stderr")
          && p.toString().contains("/executors/" + executorId.value() + "/runs/")
          && !p.toString().contains("/runs/latest/"))
          .map(p -> {
            try {
              return Files.readString(p);
            } catch (IOException e) {
              return "";
            }
          }).findFirst().orElse("(no stderr)");
    }
  }

  private static boolean exitRecorded(Path agentDir) throws IOException {
    try (Stream<Path> exits = Files.list(agentDir.resolve("exits"))) {
      return exits.anyMatch(f -> {
        try {
          return !Files.readString(f).isBlank();
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  private JsonNode get(String url) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private boolean agentConnected() throws Exception {
    return get(cluster.agents().get(0).url() + "/state").path("connected").asBoolean();
  }

  /** The task's state in the leading master's /master/state ("" while it has none). */
  private String masterState(TaskId id) throws Exception {
    JsonNode state = get(cluster.leader().orElseThrow().url() + "/master/state");
    for (JsonNode fw : state.path("frameworks")) {
      for (JsonNode t : fw.path("tasks")) {
        if (t.path("id").asText().equals(id.value())) {
          return t.path("state").asText();
        }
      }
    }
    return "";
  }

  private static Resource cpus(double v, Offer o) {
    return Resource.scalar("cpus", v).withAllocationRole(o.allocationInfo().role());
  }

  private static Resource mem(double v, Offer o) {
    return Resource.scalar("mem", v).withAllocationRole(o.allocationInfo().role());
  }
}
