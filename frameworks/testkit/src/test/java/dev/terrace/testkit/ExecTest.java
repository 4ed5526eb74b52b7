package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/exec} through a real master, ZooKeeper and agent, with tasks as host processes:
 * the command's stdin, stdout, stderr and exit code over the agent's WebSocket.
 */
class ExecTest {
  private InProcessCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("tester", "exec-test"),
        scheduler).build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
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

  private TaskId runningTask() {
    Offer offer = scheduler.latestOffer().orElseThrow();
    TaskId id = Tasks.newId("exec");
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 32, "sleep 600"))).join();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    return id;
  }

  private String agentUrl() {
    return cluster.agents().get(0).url();
  }

  @Test
  void commandGetsStdinAndItsStdoutStderrAndExitCodeComeBack() throws Exception {
    TaskId id = runningTask();
    ExecClient c = ExecClient.connect(agentUrl(), id.value());
    c.send("{\"argv\":[\"sh\",\"-c\",\"read x; echo got $x; echo err >&2; exit 4\"],"
        + "\"env\":{},\"tty\":false}");
    c.stdin("hello\n");
    c.eof();
    String close = c.closed.get(30, TimeUnit.SECONDS);
    assertThat(close).startsWith("1000");
    assertThat(c.out()).isEqualTo("got hello\n");
    assertThat(c.err()).isEqualTo("err\n");
    assertThat(c.textFrames()).isEqualTo("{\"exit_code\":4}\n");
  }

  @Test
  void envIsAddedAndEofWithoutInputWorks() throws Exception {
    TaskId id = runningTask();
    ExecClient c = ExecClient.connect(agentUrl(), id.value());
    c.send("{\"argv\":[\"sh\",\"-c\",\"cat; echo v=$V task=$MESOS_TASK_ID\"],\"env\":{\"V\":\"x y\"}}");
    c.eof();
    c.closed.get(30, TimeUnit.SECONDS);
    assertThat(c.out()).isEqualTo("v=x y task=" + id.value() + "\n");
    assertThat(c.textFrames()).isEqualTo("{\"exit_code\":0}\n");
  }

  @Test
  void commandThatCannotStartIsReportedAndClosedWithReason() throws Exception {
    TaskId id = runningTask();
    ExecClient c = ExecClient.connect(agentUrl(), id.value());
    c.send("{\"argv\":[\"/no/such/binary\"]}");
    String close = c.closed.get(30, TimeUnit.SECONDS);
    assertThat(close).startsWith("1011").contains("cannot exec");
    assertThat(c.textFrames()).contains("\"error\"").contains("/no/such/binary");
  }

  @Test
  void ttyIsRefusedWithAClearReason() throws Exception {
    TaskId id = runningTask();
    ExecClient c = ExecClient.connect(agentUrl(), id.value());
    c.send("{\"argv\":[\"true\"],\"tty\":true}");
    assertThat(c.closed.get(30, TimeUnit.SECONDS)).startsWith("1011").contains("TTY");
  }

  @Test
  void largeOutputArrivesWholeAndInOrder() throws Exception {
    TaskId id = runningTask();
    ExecClient c = ExecClient.connect(agentUrl(), id.value());
    c.send("{\"argv\":[\"sh\",\"-c\",\"seq 1 200000\"]}");
    c.eof();
    c.closed.get(60, TimeUnit.SECONDS);
    String[] lines = c.out().split("\n");
    assertThat(lines).hasSize(200000);
    assertThat(lines[0]).isEqualTo("1");
    assertThat(lines[199999]).isEqualTo("200000");
    assertThat(c.textFrames()).isEqualTo("{\"exit_code\":0}\n");
  }

  @Test
  void clientThatGoesAwayKillsTheCommand() throws Exception {
    TaskId id = runningTask();
    ExecClient c = ExecClient.connect(agentUrl(), id.value());
    c.send("{\"argv\":[\"sh\",\"-c\",\"echo $$; exec sleep 600\"]}");
    await().atMost(Duration.ofSeconds(30)).until(() -> c.out().endsWith("\n"));
    long pid = Long.parseLong(c.out().trim());
    assertThat(ProcessHandle.of(pid)).isPresent();
    c.ws.abort();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> ProcessHandle.of(pid).map(ph -> !ph.isAlive()).orElse(true));
    // The task itself is untouched.
    assertThat(scheduler.states(id)).doesNotContain(TaskState.TASK_KILLED, TaskState.TASK_FAILED);
  }

  @Test
  void unknownTaskIs404BeforeTheUpgrade() throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(agentUrl() + "/api/v1/exec?task_id=nope")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no task nope");
    assertThatThrownBy(() -> ExecClient.connect(agentUrl(), "nope"))
        .rootCause().hasMessageContaining("404");
  }
}
