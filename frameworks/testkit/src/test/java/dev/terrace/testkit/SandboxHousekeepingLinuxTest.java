package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.sandbox.SandboxSettings;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A real task in a real container writes more than the log cap: the agent rotates its stdout while
 * it runs without losing a line, and removes the sandbox once the task is over and the delay has
 * passed.
 */
@Tag("linux")
class SandboxHousekeepingLinuxTest {
  private static final int LINES = 60_000;

  @Test
  void logsAreRotatedLosslesslyAndTheSandboxGoesAfterTheDelay() throws Exception {
    RealContainers.assume();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        dev.terrace.agent.sandbox.LogRotator.collapsesRanges(
            Path.of(System.getProperty("java.io.tmpdir"))),
        "the temporary directory's file system cannot collapse ranges (ext4 and xfs can)");
    SandboxSettings settings = SandboxSettings.defaults().withLogs(32 << 10, 10_000)
        .withGc(Duration.ofSeconds(3), 0.0).withCheckInterval(Duration.ofMillis(100));
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.real())
        .sandboxes(settings).start()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(),
          FrameworkInfo.of("root", "sandboxes"), scheduler).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 64).isPresent());
        Offer offer = scheduler.offerWith(0.1, 64).orElseThrow();
        TaskId id = Tasks.newId("chatty");
        // Slow enough (a short pause every 5000 lines) for several rotations while it writes.
        client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 64,
            "i=0; while [ $i -lt " + LINES + " ]; do echo line-$i;"
                + " [ $((i % 5000)) -eq 0 ] && sleep 0.2; i=$((i+1)); done"))).join();
        await().atMost(Duration.ofSeconds(90)).until(() -> scheduler.terminal(id).isPresent());
        TaskStatus end = scheduler.terminal(id).orElseThrow();
        assertThat(end.state()).as(end.message()).isEqualTo(TaskState.TASK_FINISHED);

        Path sandbox = sandbox(cluster.workDir(), id);
        List<Path> parts = new ArrayList<>();
        for (int i = 1; Files.exists(sandbox.resolve("stdout." + i)); i++) {
          parts.add(0, sandbox.resolve("stdout." + i));
        }
        parts.add(sandbox.resolve("stdout"));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Path p : parts) {
          all.write(Files.readAllBytes(p));
        }
        assertThat(parts).hasSizeGreaterThan(2);
        String[] lines = all.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(LINES);
        for (int i = 0; i < LINES; i++) {
          assertThat(lines[i]).isEqualTo("line-" + i);
        }

        // Acknowledged by the SDK, the task is over: its sandbox goes after the 3 s delay.
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(sandbox));
      }
    }
  }

  private static Path sandbox(Path workDir, TaskId id) throws Exception {
    try (Stream<Path> files = Files.walk(workDir.resolve("agent-0").resolve("agents"))) {
      return files.filter(p -> p.getFileName().toString().equals("stdout")
          && p.toString().contains("/executors/" + id.value() + "/runs/")
          && !p.toString().contains("/runs/latest/")).findFirst().orElseThrow().getParent();
    }
  }
}
