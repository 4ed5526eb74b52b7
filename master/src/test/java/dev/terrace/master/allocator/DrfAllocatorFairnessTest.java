package dev.terrace.master.allocator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrfAllocatorFairnessTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final FrameworkId A = FrameworkId.of("a");
  private static final FrameworkId B = FrameworkId.of("b");
  private static final FrameworkId C = FrameworkId.of("c");

  private final HierarchicalDrfAllocator allocator = new HierarchicalDrfAllocator();

  private static Resources res(String text) {
    return Resources.of(ResourceParser.parseResources(text));
  }

  private Resources agents(int n, String each) {
    Resources total = Resources.empty();
    for (int i = 0; i < n; i++) {
      allocator.addAgent(AgentId.of("agent-" + i), res(each), Resources.empty());
      total = total.plus(res(each));
    }
    return total;
  }

  /**
   * The classic DRF example: one framework's tasks are memory-heavy, the other's CPU-heavy. As
   * they fill the cluster task by task, their dominant shares stay level and end level.
   */
  @Test
  void frameworksWithDifferentDominantResourcesEndWithEqualDominantShares() {
    Resources total = agents(10, "cpus:8;mem:8192");
    allocator.addFramework(A, List.of("*"), List.of());
    allocator.addFramework(B, List.of("*"), List.of());
    TaskSimulation sim = new TaskSimulation(allocator)
        .framework(A, res("cpus:0.5;mem:2048"))
        .framework(B, res("cpus:2;mem:256"));

    sim.runToCompletion(T0, 200);

    double shareA = sim.dominantShare(A, total);
    double shareB = sim.dominantShare(B, total);
    assertThat(shareA).as("memory share of A").isGreaterThan(0.3);
    // One task is 1/40 of the dominant resource for each; allow two tasks of difference.
    assertThat(shareA).isCloseTo(shareB, within(0.05));
  }

  @Test
  void dominantSharesStayLevelWhileTheClusterFills() {
    Resources total = agents(10, "cpus:8;mem:8192");
    allocator.addFramework(A, List.of("*"), List.of());
    allocator.addFramework(B, List.of("*"), List.of());
    TaskSimulation sim = new TaskSimulation(allocator)
        .framework(A, res("cpus:0.5;mem:2048"))
        .framework(B, res("cpus:2;mem:256"));

    for (int i = 0; i < 3; i++) {
      sim.cycle(T0);
      assertThat(sim.dominantShare(A, total)).isCloseTo(sim.dominantShare(B, total), within(0.1));
    }
  }

  @Test
  void roleWeightsTwoToOneGiveTwiceTheShare() {
    agents(10, "cpus:6;mem:6144");
    allocator.updateWeights(Map.of("heavy", 2.0, "light", 1.0));
    allocator.addFramework(A, List.of("heavy"), List.of());
    allocator.addFramework(B, List.of("light"), List.of());
    TaskSimulation sim = new TaskSimulation(allocator)
        .framework(A, res("cpus:1;mem:128"))
        .framework(B, res("cpus:1;mem:128"));

    sim.runToCompletion(T0, 200);

    assertThat(sim.tasks(A) + sim.tasks(B)).isEqualTo(60);
    assertThat((double) sim.tasks(A) / sim.tasks(B)).isCloseTo(2.0, within(0.15));
  }

  /** eng/ml and eng/web share eng's half; ops has the other half, whatever eng's subroles do. */
  @Test
  void hierarchicalRolesShareTheirParentsShare() {
    agents(12, "cpus:4;mem:4096");
    allocator.addFramework(A, List.of("eng/ml"), List.of());
    allocator.addFramework(B, List.of("eng/web"), List.of());
    allocator.addFramework(C, List.of("ops"), List.of());
    TaskSimulation sim = new TaskSimulation(allocator)
        .framework(A, res("cpus:1;mem:1024"))
        .framework(B, res("cpus:1;mem:1024"))
        .framework(C, res("cpus:1;mem:1024"));

    sim.runToCompletion(T0, 200);

    assertThat(sim.tasks(A) + sim.tasks(B) + sim.tasks(C)).isEqualTo(48);
    assertThat(sim.tasks(C)).isBetween(22, 26);
    assertThat(sim.tasks(A)).isCloseTo(sim.tasks(B), within(2));
  }

  @Test
  void frameworksWithinARoleShareItByDrf() {
    agents(4, "cpus:4;mem:4096");
    allocator.addFramework(A, List.of("r"), List.of());
    allocator.addFramework(B, List.of("r"), List.of());
    TaskSimulation sim = new TaskSimulation(allocator)
        .framework(A, res("cpus:1;mem:256"))
        .framework(B, res("cpus:1;mem:256"));

    sim.runToCompletion(T0, 100);

    assertThat(sim.tasks(A)).isEqualTo(8);
    assertThat(sim.tasks(B)).isEqualTo(8);
  }

  @Test
  void eachAgentGoesToTheLowestShareFirst() {
    agents(2, "cpus:4;mem:4096");
    allocator.addFramework(A, List.of("*"), List.of());
    allocator.addFramework(B, List.of("*"), List.of());
    allocator.addUsed(A, AgentId.of("agent-0"), res("cpus:2;mem:2048"));

    List<OfferDecision> offers = allocator.allocate(T0);

    // B (share 0) is first in line and takes the whole free agent; A takes what is left.
    assertThat(offers).extracting(OfferDecision::framework).containsExactly(B, A);
    assertThat(offers.get(0).agent()).isEqualTo(AgentId.of("agent-0"));
  }
}
