package dev.terrace.agent.containerizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.runtime.Binaries;
import dev.terrace.agent.runtime.ContainerMonitor;
import dev.terrace.agent.runtime.RuntimeSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real containers through {@link OciContainerizer}; needs root and the runtime under test (and
 * conmon when it is the monitor). One subclass per runtime and monitor.
 */
@Tag("linux")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OciContainerizerLinuxTestBase {
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
  private static final long MB = 1L << 20;

  private Path workDir;
  private Path sandboxes;

  private OciContainerizer containerizer;
  private final List<String> launched = new ArrayList<>();

  /** "crun" or "runc". */
  abstract String runtimeName();

  abstract OciContainerizerConfig configure(OciContainerizerConfig defaults);

  @BeforeAll
  void startContainerizer() throws Exception {
    Assumptions.assumeTrue(isRoot(), "needs root");
    Assumptions.assumeTrue(Binaries.find(runtimeName()).isPresent(), runtimeName() + " missing");
    // Not @TempDir: the containerizer outlives single tests, and deletion must refuse mounts.
    workDir = Files.createTempDirectory("terrace-" + runtimeName());
    sandboxes = Files.createDirectories(workDir.resolve("sandboxes"));
    OciContainerizerConfig config = configure(OciContainerizerConfig.defaults(workDir)
        .withRuntime(RuntimeSelector.Preference.parse(runtimeName()))
        .withRuntimeRoot(workDir.resolve("runtime-state")));
    Assumptions.assumeTrue(config.monitor() != ContainerMonitor.Kind.CONMON
        || Binaries.find("conmon").isPresent(), "conmon missing");
    containerizer = OciContainerizer.create(config);
    assertThat(containerizer.runtimeName()).isEqualTo(runtimeName());
  }

  @AfterEach
  void destroyLaunched() {
    launched.forEach(containerizer::destroy);
    launched.clear();
  }

  @AfterAll
  void closeContainerizer() throws IOException {
    if (containerizer != null) {
      containerizer.close();
    }
    if (workDir != null) {
      ContainerDirs.deleteUnlessMounted(workDir);
    }
  }

  @Test
  void taskSeesItsOwnNamespacesLimitsAndSandbox() throws Exception {
    String script = String.join("; ",
        "echo HOSTNAME=$(hostname)",
        "echo CWD=$(pwd)",
        "echo SANDBOX=$MESOS_SANDBOX",
        "echo INIT=$(tr '\\0' ' ' < /proc/1/cmdline)",
        "echo PIDS=$(ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' ')",
        "if [ -f /sys/fs/cgroup/memory.max ]; then echo LIMIT=$(cat /sys/fs/cgroup/memory.max);"
            + " else echo LIMIT=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes); fi",
        "echo CGROUP; cat /proc/self/cgroup",
        "echo to-stderr >&2",
        "echo written > file-in-cwd",
        "exit 3");
    ContainerLaunch launch = launch("sh -c", List.of("/bin/sh", "-c", script), 64 * MB);

    LaunchedContainer c = containerizer.launch(launch);

    assertThat(c.pid()).isPositive();
    assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT).satisfies(exit -> {
      assertThat(exit.exitCode()).isEqualTo(3);
      assertThat(exit.signal()).isZero();
      assertThat(exit.memoryLimitExceeded()).isFalse();
      assertThat(exit.message()).isEqualTo("Command exited with status 3");
    });
    Map<String, String> out = keyValues(Files.readString(launch.sandbox().resolve("stdout")));
    assertThat(out.get("HOSTNAME")).isEqualTo(launch.hostname())
        .isNotEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
    assertThat(out.get("CWD")).isEqualTo("/mnt/mesos/sandbox");
    assertThat(out.get("SANDBOX")).isEqualTo("/mnt/mesos/sandbox");
    assertThat(out.get("INIT")).startsWith("/bin/sh -c");
    List<String> pids = Arrays.asList(out.get("PIDS").split(" "));
    assertThat(pids).contains("1")
        .doesNotContain(Long.toString(ProcessHandle.current().pid()));
    assertThat(out.get("LIMIT")).isEqualTo(Long.toString(64 * MB));
    assertThat(Files.readString(launch.sandbox().resolve("stderr"))).contains("to-stderr");
    assertThat(launch.sandbox().resolve("file-in-cwd")).hasContent("written");
  }

  @Test
  void sigtermEndsASleepingTaskWithSignal15() throws Exception {
    ContainerLaunch launch = launch("sleep", List.of("/bin/sh", "-c", "sleep 1000"), 32 * MB);
    LaunchedContainer c = containerizer.launch(launch);
    // The shell (pid 1 of the container) ignores SIGTERM like any namespace init without a
    // handler; wait until it has forked sleep, which the signal then kills.
    await().atMost(EXIT_TIMEOUT).until(() -> processesIn(launch.containerId()) >= 2);

    containerizer.signal(launch.containerId(), 15);

    assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT).satisfies(exit -> {
      assertThat(exit.signal()).isEqualTo(15);
      assertThat(exit.exitCode()).isEqualTo(128 + 15);
      assertThat(exit.memoryLimitExceeded()).isFalse();
      assertThat(exit.message()).isEqualTo("Command terminated by signal 15");
    });
  }

  @Test
  void taskAboveItsMemoryLimitIsReportedAsSuch() throws Exception {
    ContainerLaunch launch = launch("oom", List.of("/bin/sh", "-c",
        "x=$(head -c 64m /dev/zero | tr '\\0' a); echo survived"), 32 * MB);

    LaunchedContainer c = containerizer.launch(launch);

    assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT).satisfies(exit -> {
      assertThat(exit.memoryLimitExceeded()).isTrue();
      assertThat(exit.message()).startsWith("Memory limit exceeded: Requested: 32MB");
    });
    assertThat(Files.readString(launch.sandbox().resolve("stdout"))).doesNotContain("survived");
    // conmon drops an "oom" marker in its working directory, which must not be the agent's.
    assertThat(Path.of("oom")).doesNotExist();
  }

  /**
   * What lets a container survive a {@code kill -9} of the agent and its exit still be known: the
   * monitor is not the agent's child and has a session of its own; it is the parent of the
   * container's process, records that process' status (137 after a SIGKILL from outside, as the
   * OOM killer would send) with no temporary file left, and then exits.
   */
  @Test
  void monitorOutlivesTheAgentRecordsTheExitAndLeavesNothing() throws Exception {
    ContainerLaunch launch = launch("monitor", List.of("/bin/sh", "-c", "sleep 1000"), 32 * MB);
    String id = launch.containerId();
    LaunchedContainer c = containerizer.launch(launch);
    long monitorPid = Long.parseLong(
        Files.readString(containerizer.containerDir(id).resolve("monitor.pid")).strip());
    ProcessHandle monitor = ProcessHandle.of(monitorPid).orElseThrow();
    long self = ProcessHandle.current().pid();

    assertThat(monitor.parent().map(ProcessHandle::pid)).isPresent().isNotEqualTo(
        java.util.Optional.of(self));
    assertThat(sessionOf(monitorPid)).isNotEqualTo(sessionOf(self));
    assertThat(ProcessHandle.of(c.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
        .contains(monitorPid);

    ProcessHandle.of(c.pid()).orElseThrow().destroyForcibly();

    assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT)
        .satisfies(exit -> assertThat(exit.exitCode()).isEqualTo(137));
    Path exits = workDir.resolve("exits");
    assertThat(exits.resolve(id)).hasContent("137");
    try (var files = Files.list(exits)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.contains(id)))
          .containsExactly(id);
    }
    await().atMost(EXIT_TIMEOUT).until(() -> !monitor.isAlive());
  }

  @Test
  void destroyLeavesNoMountCgroupOrRuntimeState() throws Exception {
    ContainerLaunch launch = launch("destroy", List.of("/bin/sh", "-c", "sleep 1000"), 32 * MB);
    String id = launch.containerId();
    LaunchedContainer c = containerizer.launch(launch);
    Path dir = containerizer.containerDir(id);
    assertThat(ContainerDirs.mountsUnder(dir)).isNotEmpty();
    assertThat(containerizer.cgroups().existing(containerizer.cgroupPath(id))).isNotEmpty();
    assertThat(containerizer.runtime().state(id)).contains("running");

    containerizer.destroy(id);

    assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT)
        .satisfies(exit -> assertThat(exit.signal()).isEqualTo(9));
    assertThat(ContainerDirs.mountsUnder(dir)).isEmpty();
    assertThat(containerizer.cgroups().existing(containerizer.cgroupPath(id))).isEmpty();
    assertThat(containerizer.runtime().state(id)).isEmpty();
    assertThat(dir).doesNotExist();
    assertThat(launch.sandbox()).isDirectory();
    containerizer.destroy(id); // idempotent
  }

  @Test
  void eachLaunchReportsItsStepsInOrder() throws Exception {
    List<LaunchObserver.Step> steps = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Long> nanos = new java.util.concurrent.CopyOnWriteArrayList<>();
    containerizer.observe((step, n) -> {
      steps.add(step);
      nanos.add(n);
    });
    try {
      LaunchedContainer c = containerizer.launch(launch("steps", List.of("/bin/true"), 32 * MB));
      assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT);
    } finally {
      containerizer.observe(LaunchObserver.NONE);
    }
    // No image here: the rootfs is the host's, so no IMAGE step.
    assertThat(steps).containsExactly(LaunchObserver.Step.ROOTFS, LaunchObserver.Step.BUNDLE,
        LaunchObserver.Step.RUNTIME);
    assertThat(nanos).allSatisfy(n -> assertThat(n).isPositive());
  }

  /**
   * The page cache a task leaves (here a file it wrote) is charged to its memory cgroup and, left
   * there, would keep the removed cgroup alive as a dying one; the agent reclaims it first.
   */
  @Test
  void memoryChargedToAnEndedTaskCanBeReclaimedBeforeItsCgroupGoes() throws Exception {
    ContainerLaunch launch = launch("reclaim", List.of("/bin/sh", "-c",
        "dd if=/dev/zero of=/mnt/mesos/sandbox/data bs=1M count=16 2>/dev/null"), 64 * MB);
    String id = launch.containerId();
    LaunchedContainer c = containerizer.launch(launch);
    assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT)
        .satisfies(exit -> assertThat(exit.exitCode()).isZero());
    String cgroup = containerizer.cgroupPath(id);
    assertThat(containerizer.cgroups().statistics(cgroup).memTotalBytes())
        .as("page cache of the file it wrote").isGreaterThan(8 * MB);

    assertThat(containerizer.cgroups().reclaimMemory(cgroup)).isTrue();

    assertThat(containerizer.cgroups().statistics(cgroup).memTotalBytes()).isLessThan(2 * MB);
    assertThat(launch.sandbox().resolve("data")).hasSize(16 * MB);
  }

  @Test
  void failedLaunchCleansUpAndSaysWhy() throws Exception {
    ContainerLaunch launch = launch("missing", List.of("/no/such/binary"), 32 * MB);
    String id = launch.containerId();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> containerizer.launch(launch))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining(id)
        .hasMessageContaining("/no/such/binary");

    Path dir = containerizer.containerDir(id);
    assertThat(ContainerDirs.mountsUnder(dir)).isEmpty();
    assertThat(containerizer.cgroups().existing(containerizer.cgroupPath(id))).isEmpty();
    assertThat(containerizer.runtime().state(id)).isEmpty();
    assertThat(dir).doesNotExist();
  }

  private ContainerLaunch launch(String name, List<String> argv, long memory) throws IOException {
    String id = runtimeName() + "-" + name.replaceAll("[^a-z]", "") + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    Path sandbox = Files.createDirectories(sandboxes.resolve(id));
    launched.add(id);
    return new ContainerLaunch(id, sandbox, argv,
        Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", "MESOS_SANDBOX", "/mnt/mesos/sandbox"),
        0.5, memory, "task-" + id.substring(id.length() - 8), null);
  }

  private long processesIn(String id) throws IOException {
    for (Path dir : containerizer.cgroups().existing(containerizer.cgroupPath(id))) {
      Path procs = dir.resolve("cgroup.procs");
      if (Files.exists(procs)) {
        return Files.readAllLines(procs).stream().filter(l -> !l.isBlank()).count();
      }
    }
    return 0;
  }

  private static Map<String, String> keyValues(String out) {
    Map<String, String> values = new java.util.HashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).matches("[A-Z]+")) {
        values.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    return values;
  }

  /** The session id, field 6 of /proc/PID/stat (after the parenthesised command name). */
  private static long sessionOf(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[3]);
  }

  private static boolean isRoot() throws IOException {
    return Files.readAllLines(Path.of("/proc/self/status")).stream()
        .anyMatch(l -> l.matches("Uid:\\s+0\\s.*"));
  }
}
