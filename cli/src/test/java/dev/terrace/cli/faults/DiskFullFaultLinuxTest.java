package dev.terrace.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: the disk of the agent's work dir (where sandboxes, checkpoints and container scratch
 * space live) fills up, from a task without a {@code disk} resource (one with it is held to it by
 * the agent's disk check, {@code ConfinementLinuxTest}), so the test gives the whole work dir
 * a small file system of its own (96 MiB of ext4 on a loop device; not a tmpfs, whose pages would
 * count against the task's memory limit first) and a task fills it from its sandbox.
 *
 * <p>Documented outcome: the task's writes fail with ENOSPC ("No space left on device"; what it
 * writes to stdout/stderr while the disk is full is lost, as the log files are on that disk); it
 * exits non-zero and ends TASK_FAILED with its exit status in the message; its
 * terminal update is delivered; a task running next to it keeps running; once the space is free
 * again (here the task removes its file before exiting) the agent launches tasks as before.
 * Invariants of {@link InvariantChecker} hold.
 */
@Tag("faults")
@Tag("linux")
class DiskFullFaultLinuxTest {

  @Test
  void aTaskThatFillsTheDiskFailsWithENOSPCAndTheAgentCarriesOn() throws Exception {
    RealHosts.assume(false);
    Path workDir = Files.createDirectories(Path.of("/var/tmp", "terrace-faults-disk-" + UUID.randomUUID()));
    Path image = Path.of(workDir + ".img");
    run("truncate", "-s", "96M", image.toString());
    run("mkfs.ext4", "-q", "-F", image.toString());
    run("mount", "-o", "loop", image.toString(), workDir.toString());
    try {
      try (InProcessCluster cluster = InProcessCluster.builder().workDir(workDir)
              .containerizer(Containerizers.real()).start();
          FaultFramework framework = new FaultFramework(cluster.zkUrl());
          InvariantChecker invariants = InvariantChecker.on(cluster)) {
        TaskId neighbour = framework.running("neighbour", "sleep 600");

        TaskId filler = framework.launch("filler", o -> true, 128,
            // Its error can only be written out once there is room again: kept in a variable.
            "e=$(head -c 200M /dev/zero 2>&1 > fill); s=$?; rm -f fill; echo \"$e\" >&2; exit $s");
        TaskStatus failed = framework.awaitState(filler, TaskState.TASK_FAILED);
        assertThat(failed.message()).contains("status 1");
        assertThat(stderr(workDir, filler)).contains("No space left on device");

        TaskId after = framework.launch("after", "echo fine");
        framework.awaitState(after, TaskState.TASK_FINISHED);
        assertThat(framework.scheduler.terminal(neighbour)).isEmpty();
        invariants.verify(framework);
      }
    } finally {
      run("umount", workDir.toString()); // detaches the loop device too
      Files.deleteIfExists(workDir);
      Files.deleteIfExists(image);
    }
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new java.io.IOException(String.join(" ", argv) + " failed: " + new String(p.getInputStream().readAllBytes()));
    }
  }

  private static String stderr(Path workDir, TaskId id) throws Exception {
    try (var files = Files.walk(workDir.resolve("agent-0").resolve("agents"))) {
      Path f = files.filter(p -> p.getFileName().toString().equals("stderr")
          && p.toString().contains("/executors/" + id.value() + "/runs/")
          && !p.toString().contains("/runs/latest/")).findFirst().orElseThrow();
      return Files.readString(f);
    }
  }
}
