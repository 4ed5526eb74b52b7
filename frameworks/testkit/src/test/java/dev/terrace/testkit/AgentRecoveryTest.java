package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent recovery logic without root: the host-process stand-in keeps an abandoned agent's
 * processes, as conmon keeps containers, so a restarted agent re-attaches to them. The real
 * containers are covered by {@link AgentRecoveryLinuxTest}.
 */
class AgentRecoveryTest {
  private InProcessCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses())
        .statusRetry(Duration.ofSeconds(1)).start();
    scheduler = new RecordingScheduler();
    FrameworkInfo info = FrameworkInfo.of("tester", "recovery")
        .withCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    client = SchedulerClient.builder(cluster.zkUrl(), info, scheduler).build().start();
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

  private Offer launch(TaskId id, String command) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 32).isPresent());
    Offer offer = scheduler.offerWith(0.1, 32).orElseThrow();
    scheduler.rescinded.add(offer.id());
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 32, command))).join();
    return offer;
  }

  private TaskStatus awaitState(TaskId id, TaskState state) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.states(id).contains(state));
    return scheduler.updates.stream().filter(u -> u.taskId().equals(id) && u.state() == state)
        .findFirst().orElseThrow();
  }

  private Path sandbox(TaskId id) throws IOException {
    try (Stream<Path> files = Files.walk(cluster.workDir().resolve("agent-0").resolve("agents"))) {
      return files.filter(p -> p.toString().contains("/executors/" + id.value() + "/runs/")
          && p.getParent().getFileName().toString().equals("runs")
          && !p.getFileName().toString().equals("latest")).findFirst().orElseThrow();
    }
  }

  @Test
  void aTaskRunsOnUnderTheRestartedAgentAndIsKilledByIt() throws Exception {
    TaskId id = Tasks.newId("survivor");
    Offer offer = launch(id, "sleep 1000");
    int pid = awaitState(id, TaskState.TASK_RUNNING).containerStatus().executorPid();

    cluster.startAgent(cluster.crashAgent(0));
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agents().get(0).agent().connected());
    assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

    client.kill(id, offer.agentId()).join();
    assertThat(awaitState(id, TaskState.TASK_KILLING).containerStatus().executorPid()).isEqualTo(pid);
    awaitState(id, TaskState.TASK_KILLED);
    assertThat(scheduler.states(id)).filteredOn(TaskState::isTerminal)
        .containsExactly(TaskState.TASK_KILLED);
    // Only the first launch ever reported RUNNING: the recovered task did not report it again.
    // (The same update may arrive twice, resent when the crash beat its acknowledgement; a
    // second RUNNING would have a uuid of its own.)
    assertThat(scheduler.updates.stream().filter(u -> u.taskId().equals(id)
        && u.state() == TaskState.TASK_RUNNING).map(u -> u.uuid()).distinct()).hasSize(1);
  }

  @Test
  void anExitWhileTheAgentIsDownIsReportedWithItsStatusAfterTheRestart() throws Exception {
    TaskId id = Tasks.newId("exits");
    launch(id, "while [ ! -e go ]; do sleep 0.05; done; exit 3");
    int pid = awaitState(id, TaskState.TASK_RUNNING).containerStatus().executorPid();
    Path sandbox = sandbox(id);

    Path dir = cluster.crashAgent(0);
    Files.createFile(sandbox.resolve("go"));
    await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(pid).isEmpty()
        || !ProcessHandle.of(pid).get().isAlive());
    cluster.startAgent(dir);

    TaskStatus failed = awaitState(id, TaskState.TASK_FAILED);
    assertThat(failed.message()).contains("status 3");
    assertThat(scheduler.states(id)).filteredOn(TaskState::isTerminal)
        .containsExactly(TaskState.TASK_FAILED);
    // Once acknowledged, the task and its checkpoint are gone from the agent.
    await().atMost(Duration.ofSeconds(30)).until(() ->
        Files.list(dir.resolve("meta").resolve("tasks")).findAny().isEmpty());
  }
}
