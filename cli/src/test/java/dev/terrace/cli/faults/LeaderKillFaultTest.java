package dev.terrace.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.cli.ha.MasterProcesses;
import dev.terrace.common.model.TaskState;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: {@code kill -9} of the leading master's process.
 *
 * <p>Documented outcome: the standby (a second {@code terrace master} process) becomes the leader;
 * the agent re-registers with it and the framework re-subscribes; running tasks keep running and
 * are never relaunched; an update sent while there was no leader (a task finishing right after the
 * kill) reaches the framework, exactly once; the new leader offers and launches as before.
 * Invariants of {@link InvariantChecker} hold throughout.
 */
@Tag("faults")
class LeaderKillFaultTest {

  @Test
  void killDashNineOfTheLeaderLosesNoUpdateAndLaunchesNothingTwice() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(0)
            .containerizer(Containerizers.hostProcesses()).start();
        MasterProcesses masters = new MasterProcesses()) {
      for (int i = 0; i < 2; i++) {
        masters.start(cluster.zkUrl(), cluster.workDir().resolve("master-proc-" + i));
      }
      // Two JVMs starting on a loaded machine: generous.
      await().atMost(Duration.ofSeconds(180)).until(() -> masters.leaderIndex().isPresent());
      Path gate = Files.createDirectories(cluster.workDir().resolve("gate"));

      try (FaultFramework framework = new FaultFramework(cluster.zkUrl());
          InvariantChecker invariants = new InvariantChecker(() -> masters.leaderIndex().map(masters::url))) {
        FaultFramework.Pair tasks = framework.survivorAndFinisher(gate.resolve("go").toString());

        int old = masters.leaderIndex().orElseThrow();
        masters.kill(old);
        // The finisher ends while the leader is dead: its update must survive the failover.
        Files.createFile(gate.resolve("go"));

        await().atMost(Duration.ofSeconds(90)).until(() -> masters.leaderIndex().filter(i -> i != old).isPresent());
        framework.awaitState(tasks.finisher(), TaskState.TASK_FINISHED);
        framework.running("afterwards", "sleep 600");

        assertThat(framework.scheduler.terminal(tasks.survivor())).isEmpty();
        invariants.verify(framework);
      }
    }
  }
}
