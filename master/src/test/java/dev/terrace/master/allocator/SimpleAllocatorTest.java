package dev.terrace.master.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimpleAllocatorTest extends AllocatorContractTest {
  @Override
  protected Allocator create() {
    return new SimpleAllocator();
  }

  @Test
  void reservedLeftoversGoToTheirRoleOnALaterCycle() {
    allocator.addAgent(A1, res("cpus:2;mem:512;cpus(b):3;mem(b):128"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());
    allocator.addFramework(F2, List.of("b"), List.of());

    OfferDecision first = allocator.allocate(T0).get(0);
    assertThat(first.framework()).isEqualTo(F1);
    assertThat(first.resources()).isEqualTo(res("cpus:2;mem:512"));

    OfferDecision second = allocator.allocate(T0).get(0);
    assertThat(second.framework()).isEqualTo(F2);
    assertThat(second.resources()).isEqualTo(res("cpus(b):3;mem(b):128"));
  }
}
