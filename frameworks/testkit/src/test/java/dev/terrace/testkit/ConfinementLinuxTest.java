package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.spec.UserNamespace;
import dev.terrace.agent.task.TaskRunner;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Label;
import dev.terrace.common.model.Labels;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Confinement checked from inside real containers (crun or runc): what a task can see and do. The
 * agent's work dir is on the root file system (not /tmp, which tasks get as their own tmpfs), so
 * that hiding it is really tested.
 */
@Tag("linux")
class ConfinementLinuxTest {
  private static Path workDir;
  private static InProcessCluster cluster;
  private static RecordingScheduler scheduler;
  private static SchedulerClient client;

  @BeforeAll
  static void start() throws Exception {
    RealContainers.assume();
    workDir = Files.createDirectories(Path.of("/var/tmp", "terrace-confinement-" + UUID.randomUUID()));
    cluster = InProcessCluster.builder().workDir(workDir).containerizer(Containerizers.real()).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("root", "confinement-test"),
        scheduler).build().start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (workDir != null) {
      try (Stream<Path> files = Files.walk(workDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void launch(TaskId id, double memMb, String command) {
    launch(id, 0.1, memMb, command);
  }

  private static void launch(TaskId id, double cpus, double memMb, String command) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(cpus, memMb).isPresent());
    Offer offer = scheduler.offerWith(cpus, memMb).orElseThrow();
    scheduler.rescinded.add(offer.id());
    client.launch(offer, List.of(Tasks.shell(id, offer, cpus, memMb, command))).join();
  }

  private static TaskStatus runToEnd(TaskId id, double memMb, String command) {
    return runToEnd(id, 0.1, memMb, command);
  }

  private static TaskStatus runToEnd(TaskId id, double cpus, double memMb, String command) {
    launch(id, cpus, memMb, command);
    await().atMost(Duration.ofSeconds(120)).until(() -> scheduler.terminal(id).isPresent());
    return scheduler.terminal(id).orElseThrow();
  }

  private static String stdout(TaskId id) throws Exception {
    return Files.readString(sandboxFile(id, "stdout"));
  }

  private static String value(String out, String key) {
    return out.lines().filter(l -> l.startsWith(key)).map(l -> l.substring(key.length()).trim())
        .findFirst().orElse("<missing " + key + ">");
  }

  @Test
  void aTaskHasDefaultCapabilitiesSeccompAndNoViewOfTheHostOrOtherTasks() throws Exception {
    TaskId neighbour = Tasks.newId("neighbour");
    launch(neighbour, 32, "echo NEIGHBOUR-SECRET > secret.txt; exec sleep 600");
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.states(neighbour).contains(TaskState.TASK_RUNNING));

    TaskId probe = Tasks.newId("probe");
    String script = String.join("\n",
        "grep -E '^(CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status | tr -d '\\t' | sed 's/:/: /'",
        "echo \"KCORE: $(wc -c < /proc/kcore 2>/dev/null)\"",
        "echo \"SYSRO: $(touch /sys/terrace-probe 2>&1)\"",
        "echo \"PROCSYS: $( (echo 1 > /proc/sys/kernel/panic) 2>&1)\"",
        "echo \"DEVS: $(ls /dev | tr '\\n' ' ')\"",
        "mknod /dev/hostdisk b 8 0 2>/dev/null; echo \"DISK: $(head -c1 /dev/hostdisk 2>&1 >/dev/null)\"",
        "echo \"PROCS: $(ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' ')\"",
        "echo \"SLEEPERS: $(cat /proc/[0-9]*/comm 2>/dev/null | grep -cx sleep)\"",
        "echo \"AGENTDIR: $(ls -A " + workDir.resolve("agent-0") + " 2>&1 | wc -l)\"",
        "echo \"SECRET: $(grep -rs NEIGHBOUR-SECRET " + workDir + " / --include=secret.txt 2>/dev/null | head -1)\"",
        "echo \"UNSHARE: $(unshare -U true 2>&1)\"",
        "echo \"PIDSMAX: $(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)\"");
    TaskStatus end = runToEnd(probe, 64, "bash -c '" + script.replace("'", "'\\''") + "'");
    String out = stdout(probe);
    assertThat(end.state()).as(out).isEqualTo(TaskState.TASK_FINISHED);

    // Docker's default set (chown, dac_override, fowner, fsetid, kill, setgid, setuid, setpcap,
    // net_bind_service, net_raw, sys_chroot, mknod, audit_write, setfcap): 0xa80425fb.
    assertThat(value(out, "CapEff:")).isEqualTo("00000000a80425fb");
    assertThat(value(out, "CapBnd:")).isEqualTo("00000000a80425fb");
    assertThat(value(out, "CapAmb:")).isEqualTo("0000000000000000");
    assertThat(value(out, "NoNewPrivs:")).isEqualTo("1");
    assertThat(value(out, "Seccomp:")).isEqualTo("2");
    assertThat(value(out, "KCORE:")).isIn("0", "");
    assertThat(value(out, "SYSRO:")).contains("Read-only file system");
    assertThat(value(out, "PROCSYS:")).contains("Read-only file system");
    assertThat(value(out, "DEVS:").split(" ")).doesNotContain("sda", "vda", "nvme0", "mem", "kmsg", "loop0");
    assertThat(value(out, "DISK:")).contains("Operation not permitted");
    assertThat(value(out, "PROCS:").split(" ")).hasSizeLessThan(10);
    assertThat(value(out, "SLEEPERS:")).isEqualTo("0");
    assertThat(value(out, "AGENTDIR:")).isEqualTo("0");
    assertThat(value(out, "SECRET:")).isEmpty();
    assertThat(value(out, "UNSHARE:")).contains("Operation not permitted");
    assertThat(value(out, "PIDSMAX:")).isEqualTo("2048");
  }

  @Test
  void aTaskWritingMoreThanItsDiskFailsForItAndLeavesNothingBehind() throws Exception {
    TaskId hog = Tasks.newId("disk-hog");
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 64).isPresent());
    Offer offer = scheduler.offerWith(0.1, 64).orElseThrow();
    scheduler.rescinded.add(offer.id());
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    TaskInfo task = TaskInfo.command(hog.value(), hog, offer.agentId(),
        List.of(Resource.scalar("cpus", 0.1).withAllocationRole(role),
            Resource.scalar("mem", 64).withAllocationRole(role),
            Resource.scalar("disk", 10).withAllocationRole(role)),
        CommandInfo.shell("dd if=/dev/zero of=big bs=1M count=50 2>/dev/null; exec sleep 600"));
    client.launch(offer, List.of(task)).join();
    await().atMost(Duration.ofSeconds(120)).until(() -> scheduler.terminal(hog).isPresent());
    TaskStatus end = scheduler.terminal(hog).orElseThrow();
    assertThat(end.state()).as(end.message()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(end.reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LIMITATION_DISK);
    assertThat(end.message()).contains("exceeds the task's disk limit (10 MB)");
    // Whether dd finished before the check caught it depends on the load (a check every 3 s,
    // 0.1 cpu): the kill and its reason are what is guaranteed, not the task's own output.

    // The agent carries on, and the container (its directory, mounts and cgroup) is gone.
    TaskId after = Tasks.newId("after-disk");
    assertThat(runToEnd(after, 32, "echo fine").state()).isEqualTo(TaskState.TASK_FINISHED);
    String containerId = scheduler.updates.stream()
        .filter(u -> u.taskId().equals(hog) && u.containerStatus() != null
            && u.containerStatus().containerId() != null)
        .map(u -> u.containerStatus().containerId().value()).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(containerId);
      try (Stream<Path> files = Files.walk(workDir, 3)) {
        assertThat(files.map(f -> f.getFileName().toString())).doesNotContain(containerId);
      }
    });
  }

  @Test
  void aTaskInAUserNamespaceIsRootOnlyInside() throws Exception {
    TaskId mapped = Tasks.newId("userns");
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 64).isPresent());
    Offer offer = scheduler.offerWith(0.1, 64).orElseThrow();
    scheduler.rescinded.add(offer.id());
    TaskInfo task = Tasks.shell(mapped, offer, 0.1, 64, String.join("; ",
        "echo \"UIDMAP: $(cat /proc/self/uid_map | tr -s ' ' | sed 's/^ //')\"",
        "echo \"ID: $(id -u)\"", "touch mine"))
        .withLabels(new Labels(List.of(new Label(TaskRunner.USER_NAMESPACE_LABEL, "true"))));
    client.launch(offer, List.of(task)).join();
    await().atMost(Duration.ofSeconds(120)).until(() -> scheduler.terminal(mapped).isPresent());
    String out = stdout(mapped);
    TaskStatus end = scheduler.terminal(mapped).orElseThrow();
    assertThat(end.state()).as(end.message() + "\n" + out).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(value(out, "UIDMAP:")).isEqualTo("0 " + UserNamespace.HOST_BASE + " " + UserNamespace.SIZE);
    assertThat(value(out, "ID:")).isEqualTo("0");
    Path mine = sandboxFile(mapped, "mine");
    assertThat(Files.getAttribute(mine, "unix:uid")).isEqualTo(UserNamespace.HOST_BASE);
  }

  private static Path sandboxFile(TaskId id, String name) throws Exception {
    try (Stream<Path> files = Files.walk(workDir.resolve("agent-0").resolve("agents"))) {
      return files.filter(p -> p.getFileName().toString().equals(name)
          && p.toString().contains("/executors/" + id.value() + "/runs/")
          && !p.toString().contains("/runs/latest/")).findFirst().orElseThrow();
    }
  }

  @Test
  void aForkBombStopsAtThePidsLimitAndTheHostCarriesOn() throws Exception {
    TaskId bomb = Tasks.newId("forkbomb");
    // Readers blocked on a FIFO cost little memory; dash gives up ("Cannot fork") at the limit.
    // Opening the FIFO for writing, then closing it, lets the readers exit; it is opened again
    // on every turn of the loop for stragglers that reached their open() after the first close
    // (they would block for ever and the task never end). A whole cpu, so that 2,048 processes
    // do not crawl under a 0.1 cpu quota on a loaded machine.
    String script = String.join("\n",
        "mkfifo /tmp/f",
        "sh -c 'i=0; while [ $i -lt 5000 ]; do { read x < /tmp/f; } & i=$((i+1)); done' 2>/dev/null",
        "until e=$(cat /sys/fs/cgroup/pids/pids.events 2>/dev/null || cat /sys/fs/cgroup/pids.events); do exec 3<>/tmp/f; exec 3>&-; done 2>/dev/null",
        "exec 3<>/tmp/f; exec 3>&-",
        "echo \"EVENTS: $e\"");
    TaskStatus end = runToEnd(bomb, 1.0, 512, "bash -c '" + script.replace("'", "'\\''") + "'");
    String out = stdout(bomb);
    assertThat(end.state()).as(out).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(value(out, "EVENTS:")).matches("max [1-9][0-9]*");

    TaskId after = Tasks.newId("after");
    assertThat(runToEnd(after, 32, "echo fine").state()).isEqualTo(TaskState.TASK_FINISHED);
  }
}
