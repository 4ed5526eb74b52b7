package dev.terrace.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.cli.Terrace;
import dev.terrace.common.json.Json;
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

/**
 * The operator commands against a real master and agent: agents, frameworks, top, kill, weights,
 * quota, explain and maintenance, with their tables, --json and exit codes (0 done, 3 refused).
 */
class OperatorCommandsTest {
  private record Result(int code, String out) {}

  private static Result run(String... args) {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    PrintStream savedErr = System.err;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int code = new CommandLine(new Terrace()).execute(args);
      return new Result(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
      System.setErr(savedErr);
    }
  }

  private static String ok(String... args) {
    Result r = run(args);
    assertThat(r.code()).as(r.out()).isZero();
    return r.out();
  }

  @Test
  void operatorCommandsShowAndChangeTheCluster() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start()) {
      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "ops-fw"), s)
          .build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offerWith(0.1, 32).isPresent());
        Offer offer = s.offerWith(0.1, 32).orElseThrow();
        String agent = offer.agentId().value();
        TaskId id = TaskId.of("ops-sleeper");
        client.launch(offer, List.of(TaskInfo.command("sleeper", id, offer.agentId(), List.of(
            Resource.scalar("cpus", 0.1).withAllocationRole("*"), Resource.scalar("mem", 32).withAllocationRole("*")),
            CommandInfo.shell("sleep 120")))).join();
        await().atMost(Duration.ofSeconds(15)).until(() -> s.states(id).contains(TaskState.TASK_RUNNING));
        String m = cluster.leader().orElseThrow().url();

        assertThat(ok("agents", "--master", m)).contains(agent).contains("active").contains("0.1/");
        assertThat(Json.mapper().readTree(ok("agents", "--master", m, "--json")).path("agents")).hasSize(1);
        assertThat(ok("frameworks", "--master", m)).contains("ops-fw").contains("connected");
        assertThat(ok("tasks", "--master", m)).contains("ops-sleeper");
        assertThat(ok("top", "--master", m, "-n", "1")).contains("ops-sleeper");

        assertThat(ok("weights", "--master", m, "analytics=2.5")).contains("analytics").contains("2.5");
        assertThat(run("weights", "--master", m, "analytics=zero").code()).isEqualTo(3);
        assertThat(ok("quota", "--master", m, "capped", "--limit", "cpus=1")).contains("cpus=1");
        assertThat(run("quota", "--master", m, "capped", "--limit", "cpus=-1").code()).isEqualTo(3);
        assertThat(ok("explain", "--master", m, "ops-fw")).contains("framework");

        Result kill = run("kill", "--master", m, "ops-sleeper", "--grace", "1");
        assertThat(kill.code()).as(kill.out()).isZero();
        assertThat(kill.out()).contains("TASK_KILLED");
        assertThat(s.states(id)).contains(TaskState.TASK_KILLED);
        assertThat(run("kill", "--master", m, "no-such-task").code()).isEqualTo(3);

        ok("maintenance", "--master", m, "schedule", "127.0.0.1", "--start", "+1h", "--duration", "2h");
        assertThat(ok("maintenance", "--master", m)).contains("127.0.0.1").contains("DRAINING").contains("PT2H");
        ok("maintenance", "--master", m, "unschedule", "127.0.0.1");
        assertThat(ok("maintenance", "--master", m)).contains("No machines");
        ok("maintenance", "--master", m, "drain", agent, "--grace", "1");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(ok("agents", "--master", m)).contains("drained"));
        ok("maintenance", "--master", m, "reactivate", agent);
        assertThat(ok("agents", "--master", m)).contains("active");
        assertThat(run("maintenance", "--master", m, "gone", "no-such-agent").code()).isEqualTo(3);
        assertThat(run("maintenance", "--master", m, "start", "not-scheduled").code()).isEqualTo(3);
      }
    }
  }
}
