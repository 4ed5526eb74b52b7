package dev.terrace.master.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class HierarchicalDrfAllocatorContractTest extends AllocatorContractTest {
  @Override
  protected Allocator create() {
    return new HierarchicalDrfAllocator();
  }

  /**
   * Unlike round robin, DRF hands another role's reservation to that role in the same cycle.
   * (Roles of equal share go in the order the allocator first heard of them: a, then b.)
   */
  @Test
  void reservedLeftoversGoToTheirRoleInTheSameCycle() {
    allocator.addFramework(F1, List.of("a"), List.of());
    allocator.addFramework(F2, List.of("b"), List.of());
    allocator.addAgent(A1, res("cpus:2;mem:512;cpus(b):3;mem(b):128"), res(""));

    List<OfferDecision> offers = allocator.allocate(T0);

    assertThat(offers).containsExactlyInAnyOrder(
        new OfferDecision(F1, A1, "a", res("cpus:2;mem:512")),
        new OfferDecision(F2, A1, "b", res("cpus(b):3;mem(b):128")));
  }

  @Test
  void anAgentUnchangedSinceTheLastCycleIsNotOfferedAgain() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), res(""));
    allocator.addFramework(F1, List.of("a"), List.of());
    OfferDecision d = allocator.allocate(T0).get(0);
    allocator.recoverResources(F1, A1, res("cpus:1;mem:256"), 0, T0);

    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::resources).isEqualTo(res("cpus:1;mem:256"));
    assertThat(allocator.allocate(T0)).isEmpty();
    assertThat(d.resources()).isEqualTo(res("cpus:4;mem:1024"));
  }
}
