package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One real cluster (embedded ZooKeeper, a master elected through it, an agent with the real OCI
 * containerizer) and a framework on the SDK: tasks run as real containers on this machine.
 */
@Tag("linux")
class ClusterTaskLinuxTest {
  private static InProcessCluster cluster;
  private static RecordingScheduler scheduler;
  private static SchedulerClient client;

  @BeforeAll
  static void start() throws Exception {
    RealContainers.assume();
    cluster = InProcessCluster.builder().containerizer(Containerizers.real()).start();
    scheduler = new RecordingScheduler();
    FrameworkInfo info = FrameworkInfo.of("root", "cluster-test")
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)
        .withCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    client = SchedulerClient.builder(cluster.zkUrl(), info, scheduler).build().start();
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


  /** Waits for an offer, launches one shell task on it, and waits for its terminal update. */
  private static TaskStatus runToEnd(TaskId id, double memMb, String command) {
    Offer offer = launch(id, memMb, command);
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.terminal(id).isPresent());
    assertThat(offer.agentId()).isNotNull();
    return scheduler.terminal(id).orElseThrow();
  }

  private static Offer launch(TaskId id, double memMb, String command) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, memMb).isPresent());
    Offer offer = scheduler.offerWith(0.1, memMb).orElseThrow();
    scheduler.rescinded.add(offer.id()); // used up: later launches wait for a fresh offer
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, memMb, command))).join();
    return offer;
  }

  private static String sandboxFile(TaskId id, String name) throws Exception {
    // Only the sandboxes: a container dir holds a mounted view of the whole host root.
    Path root = cluster.workDir().resolve("agent-0").resolve("agents");
    try (Stream<Path> files = Files.walk(root)) {
      Path f = files.filter(p -> p.getFileName().toString().equals(name)
          && p.toString().contains("/executors/" + id.value() + "/runs/")
          && !p.toString().contains("/runs/latest/")).findFirst().orElseThrow();
      return Files.readString(f);
    }
  }

  @Test
  void taskRunsIsolatedInItsOwnContainer() throws Exception {
    TaskId id = Tasks.newId("isolated");
    String limitFiles = "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null"
        + " || cat /sys/fs/cgroup/memory.max";
    TaskStatus end = runToEnd(id, 48, "echo HOST=$(hostname); echo CGROUP; cat /proc/self/cgroup;"
        + " echo PROCS $(ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' '); echo LIMIT=$(" + limitFiles + ");"
        + " echo SANDBOX=$MESOS_SANDBOX TASK=$MESOS_TASK_ID PWD=$(pwd)");
    assertThat(end.state()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(scheduler.states(id)).containsSubsequence(TaskState.TASK_STARTING,
        TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);

    String out = sandboxFile(id, "stdout");
    String hostname = java.net.InetAddress.getLocalHost().getHostName();
    assertThat(line(out, "HOST=")).isNotEmpty().isNotEqualTo(hostname);
    List<String> pids = List.of(line(out, "PROCS ").trim().split(" "));
    assertThat(pids).contains("1")
        .doesNotContain(Long.toString(ProcessHandle.current().pid()));
    assertThat(Long.parseLong(line(out, "LIMIT="))).isEqualTo(48L * 1024 * 1024);
    assertThat(out).contains("SANDBOX=/mnt/mesos/sandbox TASK=" + id.value() + " PWD=/mnt/mesos/sandbox");
    assertThat(out).contains("CGROUP");
  }

  @Test
  void exitCodesMapToFinishedAndFailed() {
    TaskId ok = Tasks.newId("ok");
    assertThat(runToEnd(ok, 32, "exit 0").state()).isEqualTo(TaskState.TASK_FINISHED);
    TaskId bad = Tasks.newId("bad");
    TaskStatus failed = runToEnd(bad, 32, "echo oops >&2; exit 3");
    assertThat(failed.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(failed.message()).contains("status 3");
    assertThat(failed.reason()).isEqualTo(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED);
  }

  @Test
  void memoryLimitKillIsReportedAsSuch() {
    TaskId id = Tasks.newId("oom");
    TaskStatus end = runToEnd(id, 16, "x=$(head -c 64000000 /dev/zero | tr '\\0' a); echo survived");
    assertThat(end.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(end.reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_MEMORY);
  }

  @Test
  void killEndsARunningTaskWithKilled() {
    TaskId id = Tasks.newId("kill");
    Offer offer = launch(id, 32, "sleep 1000");
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    client.kill(id, offer.agentId()).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.terminal(id).isPresent());
    assertThat(scheduler.terminal(id).orElseThrow().state()).isEqualTo(TaskState.TASK_KILLED);
    assertThat(scheduler.states(id)).contains(TaskState.TASK_KILLING);
  }

  @Test
  void masterStateShowsTheAgentAndFinishedTasks() throws Exception {
    TaskId id = Tasks.newId("state");
    runToEnd(id, 32, "true");
    HttpResponse<String> resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(cluster.leader().orElseThrow().url() + "/master/state")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).isEqualTo(200);
    var state = dev.terrace.common.json.Json.mapper().readTree(resp.body());
    assertThat(state.path("slaves")).hasSize(1);
    assertThat(state.path("slaves").get(0).path("resources").path("cpus").asDouble()).isEqualTo(2.0);
    assertThat(state.path("leader_info").path("port").asInt()).isEqualTo(cluster.leader().orElseThrow().port());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var s = dev.terrace.common.json.Json.mapper().readTree(HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url() + "/master/state")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(s.path("frameworks").get(0).path("completed_tasks").toString()).contains(id.value())
          .contains("TASK_FINISHED");
    });
  }

  private static String line(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
        .findFirst().orElse("");
  }
}
