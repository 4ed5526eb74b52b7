package dev.terrace.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: a task that forks without end (it retries every refused fork, forever).
 *
 * <p>Documented outcome: the container's pids limit (2048, {@code pids.max} of its cgroup) stops it
 * (the kernel refuses its forks: {@code pids.events} counts them); the task keeps running until it
 * is killed. The agent, the task next to it and a new task are unaffected. Killed, it ends
 * TASK_KILLED and its container is destroyed with every process in it: its cgroups are gone.
 * Invariants of {@link InvariantChecker} hold.
 */
@Tag("faults")
@Tag("linux")
class ForkBombFaultLinuxTest {
  /** perl (Debian's perl-base is essential, so on every host) forks, and each child execs a sleep. */
  private static final String BOMB = "exec perl -e 'while (1) { my $p = fork;"
      + " if (!defined $p) { select(undef, undef, undef, 0.01); } elsif ($p == 0) { exec \"sleep\", \"1000\"; } }'";

  @Test
  void aForkBombStopsAtThePidsLimitAndItsContainerGoesWithAllItsProcesses() throws Exception {
    RealHosts.assume(false);
    // Not under /tmp: the work dir must not be hidden by the tasks' own /tmp.
    Path workDir = Files.createDirectories(Path.of("/var/tmp", "terrace-faults-" + UUID.randomUUID()));
    try (InProcessCluster cluster = InProcessCluster.builder().workDir(workDir)
            .containerizer(Containerizers.real()).start();
        FaultFramework framework = new FaultFramework(cluster.zkUrl());
        InvariantChecker invariants = InvariantChecker.on(cluster)) {
      TaskId neighbour = framework.running("neighbour", "sleep 600");
      TaskId bomb = framework.launch("forkbomb", o -> true, 512, BOMB);
      TaskStatus running = framework.awaitState(bomb, TaskState.TASK_RUNNING);
      String container = running.containerStatus().containerId().value();

      await("the kernel refusing the bomb's forks").atMost(Duration.ofSeconds(120))
          .until(() -> refusedForks(container) > 0);
      TaskId after = framework.launch("after", "echo fine");
      framework.awaitState(after, TaskState.TASK_FINISHED);
      assertThat(framework.scheduler.terminal(bomb)).isEmpty();

      framework.client.kill(bomb, framework.agentOf(bomb)).join();
      framework.awaitState(bomb, TaskState.TASK_KILLED);
      await("the bomb's cgroups gone").atMost(Duration.ofSeconds(60)).until(() -> cgroupsOf(container).isEmpty());

      assertThat(framework.scheduler.terminal(neighbour)).isEmpty();
      invariants.verify(framework);
    } finally {
      dev.terrace.agent.rootfs.ContainerDirs.deleteUnlessMounted(workDir);
    }
  }

  /** The "max" count of the container's pids.events (cgroup v1 or v2); 0 while it has none. */
  private static long refusedForks(String container) throws Exception {
    for (Path dir : cgroupsOf(container)) {
      Path events = dir.resolve("pids.events");
      if (Files.exists(events)) {
        for (String line : Files.readAllLines(events)) {
          if (line.startsWith("max ")) {
            return Long.parseLong(line.substring(4).strip());
          }
        }
      }
    }
    return 0;
  }

  /** The container's cgroup directories that exist, in every v1 hierarchy and in v2. */
  private static List<Path> cgroupsOf(String container) throws Exception {
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      return Stream.concat(hierarchies.map(h -> h.resolve("terrace").resolve(container)),
          Stream.of(Path.of("/sys/fs/cgroup/terrace", container))).filter(Files::isDirectory).toList();
    }
  }
}
