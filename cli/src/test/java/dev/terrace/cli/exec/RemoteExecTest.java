package dev.terrace.cli.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code terrace exec}'s client against a real master and agent running host processes. */
class RemoteExecTest {
  private static InProcessCluster cluster;
  private static SchedulerClient client;
  private static TaskId task;
  private final RemoteExec exec = new RemoteExec(HttpClient.newHttpClient());

  @BeforeAll
  static void start() throws Exception {
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
    RecordingScheduler scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("tester", "exec-cli-test"),
        scheduler).build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
    Offer offer = scheduler.latestOffer().orElseThrow();
    task = TaskId.of("exec-cli-" + UUID.randomUUID().toString().substring(0, 8));
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    client.launch(offer, List.of(TaskInfo.command(task.value(), task, offer.agentId(),
        List.of(Resource.scalar("cpus", 0.1).withAllocationRole(role),
            Resource.scalar("mem", 32).withAllocationRole(role)),
        CommandInfo.shell("sleep 600")))).join();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> scheduler.states(task).contains(TaskState.TASK_RUNNING));
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

  private static URI master() {
    return URI.create(cluster.leader().orElseThrow().url());
  }

  @Test
  void findsTheAgentThroughTheMasterAndPipesStdioAndExitCode() throws Exception {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> exec.locate(master(), task.value()) != null);
    RemoteExec.Target target = exec.locate(master(), task.value());
    assertThat(target.agent().toString()).endsWith(":" + cluster.agents().get(0).port());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = exec.run(target, task.value(),
        List.of("sh", "-c", "read x; echo got $x; echo err >&2; exit 4"), Map.of(), null,
        new ByteArrayInputStream("hello\n".getBytes(StandardCharsets.UTF_8)), out, err);
    assertThat(code).isEqualTo(4);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("got hello\n");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("err\n");
  }

  @Test
  void unknownTaskIsAClearError() {
    assertThatThrownBy(() -> exec.locate(master(), "no-such-task"))
        .isInstanceOf(RemoteExec.ExecException.class).hasMessageContaining("no task no-such-task");
  }

  @Test
  void commandThatCannotStartIsAClearError() throws Exception {
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> exec.locate(master(), task.value()) != null);
    RemoteExec.Target target = exec.locate(master(), task.value());
    assertThatThrownBy(() -> exec.run(target, task.value(), List.of("/no/such/binary"), Map.of(),
        null, new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
        new ByteArrayOutputStream()))
        .isInstanceOf(RemoteExec.ExecException.class).hasMessageContaining("/no/such/binary");
  }
}
