package dev.terrace.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Url;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code terrace run} end to end against a scripted master and an agent's files API. */
class TaskRunnerTest {
  private static final AgentId AGENT = AgentId.of("A1");

  private FakeSchedulerMaster master;
  private FakeAgentFiles agent;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws Exception {
    master = new FakeSchedulerMaster();
    agent = new FakeAgentFiles();
  }

  @AfterEach
  void tearDown() {
    master.close();
    agent.close();
  }

  private Offer offer(String id, double cpus, double mem) {
    return new Offer(OfferId.of(id), FakeSchedulerMaster.FRAMEWORK, AGENT, "host1",
        Url.http("127.0.0.1", "127.0.0.1", agent.url().getPort()), null,
        List.of(Resource.scalar("cpus", cpus), Resource.scalar("mem", mem)), null, null, null);
  }

  private int run(List<String> argv, Duration timeout) {
    RunSpec spec = new RunSpec(master.url(), 0.5, 64, null, Map.of("GREETING", "hi"), timeout, argv);
    return new TaskRunner(spec, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run();
  }

  /** Plays the agent: writes the task's output, then reports RUNNING and {@code end}. */
  private void playTask(TaskState end, String message, String stdout, String stderr) {
    master.onAccept = call -> {
      TaskInfo task = call.accept().operations().get(0).launch().taskInfos().get(0);
      FrameworkId fw = FakeSchedulerMaster.FRAMEWORK;
      agent.append(SandboxLogFollower.sandboxPath(fw, task.taskId(), "stdout"), stdout);
      agent.append(SandboxLogFollower.sandboxPath(fw, task.taskId(), "stderr"), stderr);
      master.send(Event.update(TaskStatus.of(task.taskId(), TaskState.TASK_RUNNING,
          TaskStatus.Source.SOURCE_EXECUTOR, null, null, AGENT)));
      master.send(Event.update(TaskStatus.of(task.taskId(), end,
          TaskStatus.Source.SOURCE_EXECUTOR, null, message, AGENT)));
    };
  }

  @Test
  void launchesOnAFittingOfferCopiesOutputAndExitsWithTheTasksCode() {
    master.offers = List.of(offer("small", 0.1, 1024), offer("big", 4, 4096));
    playTask(TaskState.TASK_FAILED, "Command exited with status 3", "hello\n", "oops\n");

    int code = run(List.of("echo hello; echo oops >&2; exit 3"), Duration.ofSeconds(30));

    assertThat(code).isEqualTo(3);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .containsPattern("terrace: task run-\\w+ TASK_RUNNING")
        .containsPattern("terrace: task run-\\w+ TASK_FAILED: Command exited with status 3")
        .contains("oops\n");
    Call.Accept accept = master.callsOf(Call.Type.ACCEPT).get(0).accept();
    assertThat(accept.offerIds()).containsExactly(OfferId.of("big"));
    TaskInfo task = accept.operations().get(0).launch().taskInfos().get(0);
    assertThat(task.taskId().value()).startsWith("run-");
    assertThat(task.agentId()).isEqualTo(AGENT);
    assertThat(task.command().shell()).isTrue();
    assertThat(task.command().environment().variables()).extracting(v -> v.name()).containsExactly("GREETING");
    assertThat(task.resources()).containsExactlyInAnyOrder(Resource.scalar("cpus", 0.5), Resource.scalar("mem", 64));
    assertThat(master.callsOf(Call.Type.DECLINE)).singleElement()
        .satisfies(c -> assertThat(c.decline().offerIds()).containsExactly(OfferId.of("small")));
    // The last ack is sent after the callback that ended run(), so it may still be on its way.
    await().until(() -> master.callsOf(Call.Type.ACKNOWLEDGE).size() == 2);
    assertThat(master.callsOf(Call.Type.TEARDOWN)).hasSize(1);
  }

  @Test
  void finishedTaskExitsZero() {
    master.offers = List.of(offer("big", 4, 4096));
    playTask(TaskState.TASK_FINISHED, "Command exited with status 0", "done\n", "");

    assertThat(run(List.of("/bin/echo", "done"), Duration.ofSeconds(30))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("done\n");
  }

  @Test
  void taskErrorMeansNotLaunched() {
    master.offers = List.of(offer("big", 4, 4096));
    playTask(TaskState.TASK_ERROR, "Task uses more resources than offered", "", "");

    assertThat(run(List.of("true"), Duration.ofSeconds(30))).isEqualTo(125);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("could not be launched", "TASK_ERROR");
  }

  @Test
  void noFittingOfferBeforeTheTimeoutMeansNotLaunched() {
    master.offers = List.of(offer("small", 0.1, 16));

    assertThat(run(List.of("true"), Duration.ofSeconds(1))).isEqualTo(125);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("no offer with", "cpus");
    assertThat(master.callsOf(Call.Type.ACCEPT)).isEmpty();
    assertThat(master.callsOf(Call.Type.TEARDOWN)).hasSize(1);
  }

  @Test
  void unreachableMasterMeansNotLaunched() {
    RunSpec spec = new RunSpec("http://127.0.0.1:1", 0.1, 32, null, Map.of(), Duration.ofSeconds(1), List.of("true"));
    int code = new TaskRunner(spec, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run();

    assertThat(code).isEqualTo(125);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unreachable");
  }
}
