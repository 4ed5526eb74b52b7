package dev.terrace.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.TaskState;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: the ZooKeeper server is stopped and started again (same port, same data directory).
 *
 * <p>Documented outcome: with ZooKeeper gone, no master leads (a master that loses its connection
 * steps down at once rather than act on state it can no longer fence); once ZooKeeper is back, one
 * master leads again, the agent re-registers and the framework re-subscribes; the running task
 * keeps running, an update sent while ZooKeeper was down (a task finishing meanwhile) is delivered
 * exactly once, and new tasks launch. Invariants of {@link InvariantChecker} hold throughout.
 */
@Tag("faults")
class ZooKeeperRestartFaultTest {

  @Test
  void mastersLoseAndRegainLeadershipAndNoTaskOrUpdateIsLost() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().masters(2)
        .containerizer(Containerizers.hostProcesses()).start()) {
      Path gate = Files.createDirectories(cluster.workDir().resolve("gate"));
      try (FaultFramework framework = new FaultFramework(cluster.zkUrl());
          InvariantChecker invariants = InvariantChecker.on(cluster)) {
        FaultFramework.Pair tasks = framework.survivorAndFinisher(gate.resolve("go").toString());

        cluster.zooKeeper().stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.leader().isEmpty());
        Files.createFile(gate.resolve("go"));
        cluster.zooKeeper().start();

        await().atMost(Duration.ofSeconds(90)).until(() -> cluster.leader().isPresent());
        framework.awaitState(tasks.finisher(), TaskState.TASK_FINISHED);
        framework.running("afterwards", "sleep 600");

        assertThat(framework.scheduler.terminal(tasks.survivor())).isEmpty();
        invariants.verify(framework);
      }
    }
  }
}
