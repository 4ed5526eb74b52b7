package dev.terrace.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.TaskState;
import dev.terrace.testkit.hosts.AgentProcess;
import dev.terrace.testkit.hosts.MultiHostCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: {@code kill -9} of an agent process (its own JVM, on a namespace host) that runs tasks in
 * real containers.
 *
 * <p>Documented outcome: the containers outlive the agent (each has its own {@code conmon});
 * restarted on its work dir, the agent re-attaches to them and re-registers under the same id. A
 * task still running keeps running in the same container and is never relaunched; a task that
 * exited while the agent was down is reported with its real exit (here TASK_FINISHED), exactly
 * once; the agent launches new tasks as before. Invariants of {@link InvariantChecker} hold.
 */
@Tag("faults")
@Tag("linux")
class AgentKillFaultLinuxTest {
  private static final String RESOURCES = "cpus:1;mem:512;disk:1024;ports:[31000-31010]";

  @Test
  void killDashNineOfAnAgentKeepsItsTasksAndLosesNoUpdate() throws Exception {
    RealHosts.assume(true);
    try (MultiHostCluster cluster = MultiHostCluster.start(1, RESOURCES, b -> b);
        FaultFramework framework = new FaultFramework(cluster.masterUrl());
        InvariantChecker invariants = new InvariantChecker(() -> Optional.of(cluster.masterUrl()))) {
      AgentProcess agent = cluster.agents().get(0);
      FaultFramework.Pair tasks = framework.survivorAndFinisher("go");
      Path gate = agent.sandbox(tasks.finisher().value()).resolve("go");

      agent.crash();
      Files.createFile(gate);
      // conmon, not the agent, records the exit: the task has ended before the agent is back.
      Path exits = agent.workDir().resolve("exits");
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        try (var files = Files.list(exits)) {
          return files.findAny().isPresent();
        }
      });
      agent.start(Duration.ofSeconds(90));

      framework.awaitState(tasks.finisher(), TaskState.TASK_FINISHED);
      framework.running("afterwards", "sleep 600");

      assertThat(framework.scheduler.terminal(tasks.survivor())).isEmpty();
      invariants.verify(framework);
    }
  }
}
