package dev.terrace.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.cli.Terrace;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import dev.terrace.testkit.RecordingScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `terrace ps` and `terrace logs` against a real master and agent. */
class PsAndLogsTest {

  private static String run(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Terrace()).execute(args);
      assertThat(code).isZero();
    } finally {
      System.setOut(saved);
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  @Test
  void psListsTheTaskAndLogsPrintsItsOutput() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "ops"), s)
          .build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offerWith(0.1, 32).isPresent());
        Offer offer = s.offerWith(0.1, 32).orElseThrow();
        TaskId id = TaskId.of("ops-task");
        client.launch(offer, List.of(TaskInfo.command("printer", id, offer.agentId(), List.of(
            Resource.scalar("cpus", 0.1).withAllocationRole("*"), Resource.scalar("mem", 32).withAllocationRole("*")),
            CommandInfo.shell("echo from-the-task; sleep 30")))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(id).contains(TaskState.TASK_RUNNING));
        String master = cluster.leader().orElseThrow().url();

        String ps = run("ps", "--master", master);
        assertThat(ps).contains("ops-task").contains("TASK_RUNNING").contains("printer");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(run("logs", "--master", master, "ops-task")).contains("from-the-task"));
        // Through ZooKeeper too.
        assertThat(run("ps", "--master", cluster.zkUrl())).contains("ops-task");
      }
    }
  }
}
