package dev.terrace.services.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.services.spec.ServiceSpec;
import dev.terrace.services.state.Instance;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentPlanTest {
  private static ServiceSpec spec(int n, double minHealth, double maxOver) {
    return new ServiceSpec("web", null, "sleep 1000", null, null, null, n, null, null, null, null, null, null, null,
        null, minHealth, maxOver, null).withDefaults();
  }

  private static Instance inst(String id, int version, String state) {
    return new Instance(id, version, state, null, "a", "h", List.of(), 1L, null, null, null);
  }

  @Test
  void steadyStateLaunchesWhatIsMissingUnlessBackingOffAndKillsExtrasWorstFirst() {
    List<Instance> two = List.of(inst("a", 1, "TASK_RUNNING"), inst("b", 1, "TASK_STAGING"));
    assertThat(DeploymentPlan.plan(spec(3, 1, 1), 1, two, false)).isEqualTo(new DeploymentPlan.Plan(1, List.of(), false));
    assertThat(DeploymentPlan.plan(spec(3, 1, 1), 1, two, true).launches()).isZero();
    assertThat(DeploymentPlan.plan(spec(1, 1, 1), 1, two, false).kills()).containsExactly("b");
  }

  /** Simulates a rolling deploy step by step: new instances become healthy, kills finish. */
  @Test
  void rollingDeployNeverDropsBelowTheMinimumNorAboveTheMaximum() {
    for (double[] strategy : new double[][] {{0.5, 0}, {1, 0.34}, {0.67, 0.34}, {0, 0}, {0.5, 1}}) {
      ServiceSpec s = spec(3, strategy[0], strategy[1]);
      int minHealthy = (int) Math.ceil(3 * strategy[0] - 1e-9);
      int maxTotal = 3 + (int) Math.floor(3 * strategy[1] + 1e-9);
      List<Instance> live = new ArrayList<>(List.of(inst("o1", 1, "TASK_RUNNING"), inst("o2", 1, "TASK_RUNNING"),
          inst("o3", 1, "TASK_RUNNING")));
      int counter = 0;
      for (int step = 0; step < 20; step++) {
        DeploymentPlan.Plan p = DeploymentPlan.plan(s, 2, live, false);
        live.removeIf(i -> p.kills().contains(i.taskId())); // kills complete
        assertThat(live.stream().filter(i -> i.isHealthy(false)).count()).as("strategy %s", strategy[0])
            .isGreaterThanOrEqualTo(minHealthy);
        for (int k = 0; k < p.launches(); k++) {
          live.add(inst("n" + counter++, 2, "TASK_STAGING"));
        }
        assertThat(live.size()).isLessThanOrEqualTo(maxTotal);
        // launched instances come up healthy before the next step
        live.replaceAll(i -> i.withState("TASK_RUNNING", null, null, 0));
      }
      assertThat(live).hasSize(3).allSatisfy(i -> assertThat(i.version()).isEqualTo(2));
    }
  }

  @Test
  void unhealthyOldInstancesGoFirstAndNewOnesThatNeverGetHealthyHoldTheOldOnes() {
    ServiceSpec s = spec(2, 1, 0.5);
    List<Instance> live = List.of(inst("o1", 1, "TASK_RUNNING"), inst("o2", 1, "TASK_RUNNING"),
        inst("n1", 2, "TASK_STAGING"));
    DeploymentPlan.Plan p = DeploymentPlan.plan(s, 2, live, false);
    assertThat(p.kills()).isEmpty(); // the new one is not healthy yet: both old ones are needed
    assertThat(p.launches()).isZero(); // and the total is at its maximum of 3
    assertThat(p.deploying()).isTrue();
  }
}
