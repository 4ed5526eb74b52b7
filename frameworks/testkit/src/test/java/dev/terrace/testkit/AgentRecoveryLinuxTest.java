package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An agent killed as a crash would (no task killed, nothing said to the master) and restarted on
 * its work dir re-attaches to its real containers: running ones keep running and stay under its
 * control, exits while it was down are reported as they happened, unacknowledged updates are
 * delivered in order, and nothing (mount, cgroup, monitor) outlives the tasks.
 */
@Tag("linux")
class AgentRecoveryLinuxTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> containers = new ArrayList<>();
  private Path workDir;
  private InProcessCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;

  @BeforeEach
  void requireRealContainers() throws IOException {
    RealContainers.assume();
    workDir = Files.createTempDirectory("terrace-recovery");
  }

  /** A cluster on {@link #workDir} and a framework that acknowledges updates itself or not. */
  private void start(boolean autoAcknowledge, Duration statusRetry) throws Exception {
    cluster = InProcessCluster.builder().workDir(workDir).containerizer(Containerizers.real())
        .statusRetry(statusRetry).start();
    scheduler = new RecordingScheduler();
    FrameworkInfo info = FrameworkInfo.of("root", "recovery-test")
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)
        .withCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    client = SchedulerClient.builder(cluster.zkUrl(), info, scheduler)
        .autoAcknowledge(autoAcknowledge).build().start();
  }

  @AfterEach
  void stop() throws IOException {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
      assertNothingLeaked();
    }
    if (workDir != null) {
      try (Stream<Path> walk = Files.walk(workDir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }


  private Offer launch(TaskId id, String command) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 32).isPresent());
    Offer offer = scheduler.offerWith(0.1, 32).orElseThrow();
    scheduler.rescinded.add(offer.id());
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 32, command))).join();
    return offer;
  }

  private TaskStatus awaitState(TaskId id, TaskState state) {
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.states(id).contains(state));
    TaskStatus s = scheduler.updates.stream()
        .filter(u -> u.taskId().equals(id) && u.state() == state).findFirst().orElseThrow();
    if (s.containerStatus() != null && !containers.contains(s.containerStatus().containerId().value())) {
      containers.add(s.containerStatus().containerId().value());
    }
    return s;
  }

  /**
   * The task's sandbox on the host: {@code .../executors/<task>/runs/<container>}. Searched under
   * {@code agents/} only: a container's rootfs is an overlay of the host root, where the same
   * path shows again, and a file created there would land in the container's scratch space.
   */
  private Path sandbox(TaskId id) throws IOException {
    try (Stream<Path> files = Files.walk(workDir.resolve("agent-0").resolve("agents"))) {
      return files.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("runs")
          && p.toString().contains("/executors/" + id.value() + "/runs/")
          && !p.getFileName().toString().equals("latest")).findFirst().orElseThrow();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file).strip() : "";
    } catch (IOException e) {
      return "";
    }
  }

  private JsonNode get(String url) throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body());
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

  /** The restarted agent is registered again (its /state says so). */
  private boolean agentConnected() throws Exception {
    return get(cluster.agents().get(0).url() + "/state").path("connected").asBoolean();
  }

  private static long startTime(int pid) {
    String stat = read(Path.of("/proc/" + pid + "/stat"));
    // Field 22 (starttime) counted after the command's closing parenthesis, which may hold spaces.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[19]);
  }

  @Test
  void aRunningTaskKeepsRunningAcrossAnAgentCrashAndCanBeKilledAfterwards() throws Exception {
    start(true, Duration.ofSeconds(1));
    TaskId id = Tasks.newId("survivor");
    // The task records who it is once (pid in its namespace and the kernel's start time of that
    // process) and then counts: a restarted task would write a new start time and count from 1.
    Offer offer = launch(id, "echo \"$$ $(cut -d' ' -f22 /proc/$$/stat)\" > me;"
        // (Written aside and renamed: a reader never sees the file empty half-way through.)
        + " i=0; while true; do i=$((i+1)); echo $i > counter.new; mv counter.new counter; sleep 0.1; done");
    TaskStatus running = awaitState(id, TaskState.TASK_RUNNING);
    int pid = running.containerStatus().executorPid();
    long started = startTime(pid);
    Path sandbox = sandbox(id);
    await().atMost(Duration.ofSeconds(30)).until(() -> !read(sandbox.resolve("me")).isEmpty());
    String me = read(sandbox.resolve("me"));

    Path dir = cluster.crashAgent(0);
    long countAtCrash = Long.parseLong(read(sandbox.resolve("counter")));
    cluster.startAgent(dir);
    await().atMost(Duration.ofSeconds(30)).until(this::agentConnected);

    await().atMost(Duration.ofSeconds(30)).until(() -> masterState(id).equals("TASK_RUNNING"));
    await().atMost(Duration.ofSeconds(30))
        .until(() -> Long.parseLong(read(sandbox.resolve("counter"))) > countAtCrash);
    assertThat(read(sandbox.resolve("me"))).isEqualTo(me);
    assertThat(startTime(pid)).isEqualTo(started);
    assertThat(scheduler.states(id)).noneMatch(TaskState::isTerminal);

    client.kill(id, offer.agentId()).join();
    TaskStatus killing = awaitState(id, TaskState.TASK_KILLING);
    assertThat(killing.containerStatus().executorPid()).isEqualTo(pid);
    awaitState(id, TaskState.TASK_KILLED);
    assertThat(scheduler.states(id)).filteredOn(TaskState::isTerminal)
        .containsExactly(TaskState.TASK_KILLED);
    await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(Path.of("/proc/" + pid)));
  }

  @Test
  void aTaskThatExitsWhileTheAgentIsDownIsReportedWithItsExitStatus() throws Exception {
    start(true, Duration.ofSeconds(1));
    TaskId id = Tasks.newId("exits-meanwhile");
    launch(id, "while [ ! -e go ]; do sleep 0.05; done; exit 3");
    TaskStatus running = awaitState(id, TaskState.TASK_RUNNING);
    int pid = running.containerStatus().executorPid();
    Path sandbox = sandbox(id);

    Path dir = cluster.crashAgent(0);
    Files.createFile(sandbox.resolve("go"));
    // The monitor, not the agent, records the exit: wait for its record before the agent comes back.
    Path exitFile = dir.resolve("exits").resolve(running.containerStatus().containerId().value());
    await().atMost(Duration.ofSeconds(30)).until(() -> !read(exitFile).isEmpty());
    assertThat(Path.of("/proc/" + pid)).doesNotExist();
    cluster.startAgent(dir);

    TaskStatus failed = awaitState(id, TaskState.TASK_FAILED);
    assertThat(failed.message()).contains("status 3");
    assertThat(failed.reason()).isEqualTo(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED);
    assertThat(scheduler.states(id)).filteredOn(TaskState::isTerminal)
        .containsExactly(TaskState.TASK_FAILED);
    await().atMost(Duration.ofSeconds(30)).until(() -> masterState(id).isEmpty());
  }

  @Test
  void updatesUnacknowledgedAtTheCrashAreDeliveredInOrderAndNoneTwiceAfterItsAck() throws Exception {
    // Resends only at the restart's flush within this test: every duplicate is one from before
    // the acknowledgement, and any update seen after its acknowledgement is a real duplicate.
    start(false, Duration.ofMinutes(5));
    TaskId id = Tasks.newId("unacked");
    launch(id, "while [ ! -e go ]; do sleep 0.05; done; exit 0");
    TaskStatus starting = awaitState(id, TaskState.TASK_STARTING);
    Path sandbox = sandbox(id);
    // The agent has queued TASK_RUNNING behind the unacknowledged TASK_STARTING by now.
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      JsonNode tasks = get(cluster.agents().get(0).url() + "/state").path("tasks");
      return tasks.size() == 1 && tasks.get(0).path("state").asText().equals("TASK_RUNNING");
    });

    Path dir = cluster.crashAgent(0);
    cluster.startAgent(dir);
    await().atMost(Duration.ofSeconds(30)).until(this::agentConnected);
    Files.createFile(sandbox.resolve("go")); // TASK_FINISHED joins the queue after the restart

    Map<Bytes, Integer> ackedAt = new HashMap<>();
    ack(starting, ackedAt);
    ack(awaitState(id, TaskState.TASK_RUNNING), ackedAt);
    ack(awaitState(id, TaskState.TASK_FINISHED), ackedAt);
    // Every update is acknowledged once the agent lets go of the task (checkpoints removed).
    await().atMost(Duration.ofSeconds(30)).until(() ->
        get(cluster.agents().get(0).url() + "/state").path("tasks").isEmpty());

    // An update resent before its acknowledgement reached the agent may still arrive after the
    // acknowledgement was sent (they cross on the wire); what must never happen is an update
    // arriving again once a later one has: the agent sends the next update of a task only after
    // the previous one was acknowledged. So, with repeats collapsed, the uuids come in order, once.
    List<TaskStatus> received = scheduler.updates.stream().filter(u -> u.taskId().equals(id)).toList();
    List<TaskStatus> collapsed = new ArrayList<>();
    for (TaskStatus u : received) {
      if (collapsed.isEmpty() || !collapsed.get(collapsed.size() - 1).uuid().equals(u.uuid())) {
        collapsed.add(u);
      }
    }
    assertThat(collapsed).extracting(TaskStatus::state)
        .containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
    assertThat(ackedAt).hasSize(3);
  }

  @Test
  void aContainerThatNoCheckpointNamesIsDestroyedAtStartAndItsTaskIsGone() throws Exception {
    start(true, Duration.ofSeconds(1));
    TaskId id = Tasks.newId("orphan");
    launch(id, "sleep 1000");
    TaskStatus running = awaitState(id, TaskState.TASK_RUNNING);
    int pid = running.containerStatus().executorPid();
    String container = running.containerStatus().containerId().value();

    Path dir = cluster.crashAgent(0);
    // As if the agent had died between the launch and the checkpoint: no record of the task.
    try (Stream<Path> files = Files.list(dir.resolve("meta").resolve("tasks"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    cluster.startAgent(dir);

    TaskStatus gone = awaitState(id, TaskState.TASK_GONE);
    assertThat(gone.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_RESTARTED);
    await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(Path.of("/proc/" + pid)));
    assertThat(dir.resolve("containers").resolve(container)).doesNotExist();
    assertThat(dir.resolve("exits").resolve(container)).doesNotExist();
  }

  /** Acknowledges {@code status}, noting how many updates had arrived when it did. */
  private void ack(TaskStatus status, Map<Bytes, Integer> ackedAt) {
    ackedAt.put(status.uuid(), scheduler.updates.stream()
        .filter(u -> u.taskId().equals(status.taskId())).toList().size());
    client.acknowledge(status).join();
  }

  /** (d) After the cluster closed: no mount under the work dir, no cgroup, no monitor left. */
  private void assertNothingLeaked() throws IOException {
    assertThat(Files.readAllLines(Path.of("/proc/self/mountinfo")))
        .noneMatch(l -> l.contains(workDir.toString()));
    for (String id : containers) {
      try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
        List<Path> left = Stream.concat(hierarchies.map(h -> h.resolve("terrace").resolve(id)),
            Stream.of(Path.of("/sys/fs/cgroup/terrace", id))).filter(Files::exists).toList();
        assertThat(left).as("cgroups of container %s", id).isEmpty();
      }
      assertThat(monitorsOf(id)).as("monitor of container %s", id).isEmpty();
      assertThat(workDir.resolve("agent-0/containers").resolve(id)).doesNotExist();
    }
    assertThat(containers).isNotEmpty();
  }

  /** terrace-monitor or conmon processes naming {@code containerId}. */
  private static List<String> monitorsOf(String containerId) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String cmdline = read(p.resolve("cmdline")).replace('\0', ' ');
        if ((cmdline.contains("terrace-monitor") || cmdline.contains("conmon"))
            && cmdline.contains(containerId)) {
          found.add(p.getFileName() + ": " + cmdline);
        }
      }
    }
    return found;
  }
}
