package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.sdk.SchedulerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/exec} into a real OCI container: the command runs in the task's namespaces. */
@Tag("linux")
class ExecLinuxTest {
  private static InProcessCluster cluster;
  private static RecordingScheduler scheduler;
  private static SchedulerClient client;

  @BeforeAll
  static void start() throws Exception {
    RealContainers.assume();
    cluster = InProcessCluster.builder().containerizer(Containerizers.real()).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("root", "exec-linux-test"),
        scheduler).build().start();
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

  private static TaskId runningTask(String command) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 32).isPresent());
    Offer offer = scheduler.offerWith(0.1, 32).orElseThrow();
    scheduler.rescinded.add(offer.id()); // used up: later launches wait for a fresh offer
    TaskId id = Tasks.newId("exec-linux");
    client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 32, command))).join();
    await().atMost(Duration.ofSeconds(60))
        .until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    return id;
  }

  /** Runs {@code sh -c script} in the task to its end and returns its stdout. */
  private static String execToEnd(TaskId id, String script) throws Exception {
    ExecClient c = ExecClient.connect(cluster.agents().get(0).url(), id.value());
    c.send(Json.mapper().createObjectNode().set("argv", Json.mapper().valueToTree(
        List.of("sh", "-c", script))).toString());
    c.eof();
    assertThat(c.closed.get(60, TimeUnit.SECONDS)).startsWith("1000");
    assertThat(c.textFrames()).isEqualTo("{\"exit_code\":0}\n");
    return c.out();
  }

  @Test
  void clientThatGoesAwayKillsTheCommandInsideTheContainer() throws Exception {
    TaskId id = runningTask("exec sleep 600");
    ExecClient c = ExecClient.connect(cluster.agents().get(0).url(), id.value());
    c.send("{\"argv\":[\"sh\",\"-c\",\"echo started; exec sleep 601\"]}");
    await().atMost(Duration.ofSeconds(30)).until(() -> c.out().equals("started\n"));
    String count = "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -c 'sleep 60[1]' || true";
    assertThat(execToEnd(id, count).trim()).isEqualTo("1");
    c.ws.abort();
    await().atMost(Duration.ofSeconds(30)).until(() -> execToEnd(id, count).trim().equals("0"));
    assertThat(scheduler.terminal(id)).isEmpty();
  }

  @Test
  void execOnATerminalSeesATerminalOfTheRequestedSizeFollowsResizesAndLeavesNothingBehind()
      throws Exception {
    TaskId id = runningTask("exec sleep 600");
    long terminalsBefore = agentTerminals();
    ExecClient c = ExecClient.connect(cluster.agents().get(0).url(), id.value());
    // The second size is awaited inside the container: a resize reaches the command's terminal
    // through the runtime, asynchronously to the keystrokes.
    c.send(Json.mapper().createObjectNode().put("tty", true).put("rows", 30).put("cols", 100)
        .set("argv", Json.mapper().valueToTree(List.of("sh", "-c", "tty; [ -t 0 ] && echo STDIN-IS-A-TTY;"
            + " echo SIZE=$(stty size); read line; i=0; while [ \"$(stty size)\" != '41 132' ]"
            + " && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; echo SIZE=$(stty size); exit 7"))).toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> c.out().contains("SIZE=30 100"));
    assertThat(c.out()).containsPattern("/dev/pts/[0-9]+\\r?\\n").contains("STDIN-IS-A-TTY");
    c.resize(41, 132);
    c.stdin("go\r");
    assertThat(c.closed.get(60, TimeUnit.SECONDS)).startsWith("1000");
    assertThat(c.out()).contains("SIZE=41 132");
    assertThat(c.textFrames()).isEqualTo("{\"exit_code\":7}\n");
    assertThat(c.err()).isEmpty();
    // The terminal and the runtime's exec are gone once the command has ended.
    await().atMost(Duration.ofSeconds(30)).until(() -> agentTerminals() <= terminalsBefore);
    await().atMost(Duration.ofSeconds(30)).until(() -> terminalExecs().isEmpty());
  }

  /** Descriptors of this JVM (the agent's) on a pseudo-terminal. */
  private static long agentTerminals() throws Exception {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (Exception e) {
          return ""; // closed while listed
        }
      }).filter(t -> t.equals("/dev/ptmx") || t.startsWith("/dev/pts/")).count();
    }
  }

  /** OCI runtime execs on a terminal running on this host. */
  private static List<String> terminalExecs() throws Exception {
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).map(p -> {
        try {
          return Files.readString(p.resolve("cmdline")).replace('\0', ' ');
        } catch (Exception e) {
          return "";
        }
      }).filter(cmd -> cmd.contains(" exec ") && cmd.contains("--tty")).toList();
    }
  }

  @Test
  void execRunsInTheTasksUtsNamespace() throws Exception {
    TaskId id = runningTask("echo HOST=$(hostname); exec sleep 600");
    await().atMost(Duration.ofSeconds(30)).until(() -> sandboxFile(id, "stdout").contains("\n"));
    String taskHost = sandboxFile(id, "stdout").trim().replaceFirst("^HOST=", "");

    ExecClient c = ExecClient.connect(cluster.agents().get(0).url(), id.value());
    c.send("{\"argv\":[\"hostname\"]}");
    c.eof();
    assertThat(c.closed.get(60, TimeUnit.SECONDS)).startsWith("1000");
    assertThat(c.textFrames()).isEqualTo("{\"exit_code\":0}\n");
    String hostname = java.net.InetAddress.getLocalHost().getHostName();
    assertThat(c.out().trim()).isNotEmpty().isEqualTo(taskHost).isNotEqualTo(hostname);
  }
}
