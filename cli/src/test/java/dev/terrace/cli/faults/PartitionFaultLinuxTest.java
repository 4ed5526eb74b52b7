package dev.terrace.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.testkit.hosts.AgentProcess;
import dev.terrace.testkit.hosts.MultiHostCluster;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: a network partition of one agent's host (its link on the switch goes down; the agent,
 * its containers and the master all keep running).
 *
 * <p>Documented outcome (Mesos' partition-aware semantics): after the master's ping timeouts the
 * agent is unreachable and a PARTITION_AWARE framework gets TASK_UNREACHABLE (reason
 * REASON_AGENT_REMOVED) for its task there; tasks on other hosts are untouched. When the link
 * comes back, the agent re-registers and the same task (same container, never relaunched) is
 * reported TASK_RUNNING again, and new tasks launch on that host. Invariants of {@link InvariantChecker} hold throughout.
 */
@Tag("faults")
@Tag("linux")
class PartitionFaultLinuxTest {
  private static final String RESOURCES = "cpus:1;mem:512;disk:1024;ports:[31000-31010]";

  @Test
  void aPartitionedTaskIsUnreachableThenRunningAgainAndNothingRunsTwice() throws Exception {
    RealHosts.assume(true);
    try (MultiHostCluster cluster = MultiHostCluster.start(2, RESOURCES,
            // Short enough to see the partition soon, long enough that a loaded machine does not
            // miss pings of a healthy agent.
            b -> b.agentPingTimeout(Duration.ofSeconds(2)).maxAgentPingTimeouts(3));
        FaultFramework framework = new FaultFramework(cluster.masterUrl());
        InvariantChecker invariants = new InvariantChecker(() -> Optional.of(cluster.masterUrl()))) {
      AgentProcess a = cluster.agents().get(0);
      AgentProcess b = cluster.agents().get(1);
      TaskId cutOff = framework.launch("cut-off", o -> o.hostname().equals(a.host().address()), 32, "sleep 600");
      TaskId elsewhere = framework.launch("elsewhere", o -> o.hostname().equals(b.host().address()), 32, "sleep 600");
      framework.awaitState(cutOff, TaskState.TASK_RUNNING);
      framework.awaitState(elsewhere, TaskState.TASK_RUNNING);

      cluster.network().cut(a.host());
      TaskStatus unreachable = framework.awaitState(cutOff, TaskState.TASK_UNREACHABLE);
      assertThat(unreachable.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
      int mark = framework.scheduler.updates.size();
      cluster.network().heal(a.host());

      Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> framework.scheduler.updates.stream()
          .skip(mark).anyMatch(u -> u.taskId().equals(cutOff) && u.state() == TaskState.TASK_RUNNING));
      TaskId afterwards = framework.launch("afterwards", o -> o.hostname().equals(a.host().address()), 32,
          "sleep 600");
      framework.awaitState(afterwards, TaskState.TASK_RUNNING);

      assertThat(framework.scheduler.states(elsewhere)).containsExactly(TaskState.TASK_STARTING,
          TaskState.TASK_RUNNING);
      invariants.verify(framework);
    }
  }
}
