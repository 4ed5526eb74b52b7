package dev.terrace.master.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reservations, filters, suppression, minimum allocatable resources and offer constraints. */
class AllocatorPolicyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final AgentId A1 = AgentId.of("a1");
  private static final AgentId A2 = AgentId.of("a2");
  private static final FrameworkId F1 = FrameworkId.of("f1");
  private static final FrameworkId F2 = FrameworkId.of("f2");

  private final HierarchicalDrfAllocator allocator = new HierarchicalDrfAllocator();

  private static Resources res(String text) {
    return Resources.of(ResourceParser.parseResources(text));
  }

  @Test
  void reservationsGoToTheirRoleAndItsSubrolesOnly() {
    allocator.addAgent(A1, res("cpus(eng):2;mem(eng):512"), Resources.empty());
    allocator.addFramework(F1, List.of("engineering"), List.of());
    allocator.addFramework(F2, List.of("dev"), List.of());
    assertThat(allocator.allocate(T0)).as("a prefix is not a parent").isEmpty();

    FrameworkId sub = FrameworkId.of("ml");
    allocator.addFramework(sub, List.of("eng/ml"), List.of());

    assertThat(allocator.allocate(T0)).singleElement()
        .isEqualTo(new OfferDecision(sub, A1, "eng/ml", res("cpus(eng):2;mem(eng):512")));
  }

  @Test
  void aSubrolesReservationIsNotOfferedToItsParent() {
    allocator.addAgent(A1, res("cpus(eng/ml):2;mem(eng/ml):512"), Resources.empty());
    allocator.addFramework(F1, List.of("eng"), List.of());

    assertThat(allocator.allocate(T0)).isEmpty();
  }

  @Test
  void unreservedAndOwnReservationsGoTogether() {
    allocator.addAgent(A1, res("cpus:1;mem:256;cpus(a):1;mem(a):256;cpus(b):1;mem(b):256"),
        Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());

    assertThat(allocator.allocate(T0)).singleElement().extracting(OfferDecision::resources)
        .isEqualTo(res("cpus:1;mem:256;cpus(a):1;mem(a):256"));
  }

  /** Regression: one offer per framework per agent left b's reservation free on a skipped agent. */
  @Test
  void aFrameworkOfTwoRolesGetsEachRolesShareOfAnAgent() {
    allocator.addFramework(F1, List.of("a", "b"), List.of());
    allocator.addAgent(A1, res("cpus:2;mem:512;cpus(b):1;mem(b):256"), Resources.empty());

    List<OfferDecision> offers = allocator.allocate(T0);

    assertThat(offers).containsExactlyInAnyOrder(
        new OfferDecision(F1, A1, "a", res("cpus:2;mem:512")),
        new OfferDecision(F1, A1, "b", res("cpus(b):1;mem(b):256")));
  }

  @Test
  void filtersExpire() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());
    OfferDecision d = allocator.allocate(T0).get(0);
    allocator.recoverResources(F1, A1, d.resources(), 5, T0);

    assertThat(allocator.allocate(T0.plusMillis(4999))).isEmpty();
    assertThat(allocator.allocate(T0.plusSeconds(5))).singleElement()
        .isEqualTo(new OfferDecision(F1, A1, "a", res("cpus:4;mem:1024")));
  }

  @Test
  void aFilterExpiringOffersAgentsThatDidNotChange() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());
    for (OfferDecision d : allocator.allocate(T0)) {
      allocator.recoverResources(F1, d.agent(), d.resources(), 10, T0);
    }
    assertThat(allocator.allocate(T0.plusSeconds(1))).isEmpty();
    assertThat(allocator.allocate(T0.plusSeconds(2))).isEmpty();

    assertThat(allocator.allocate(T0.plusSeconds(10))).hasSize(2);
  }

  @Test
  void suppressAndReviveArePerRole() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a", "b"), List.of());
    allocator.suppress(F1, List.of("a"));

    List<OfferDecision> first = allocator.allocate(T0);
    assertThat(first).hasSize(2).extracting(OfferDecision::role).containsOnly("b");
    allocator.suppress(F1, List.of());
    for (OfferDecision d : first) {
      allocator.recoverResources(F1, d.agent(), d.resources(), 0, T0);
    }
    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.revive(F1, List.of("a"));
    List<OfferDecision> offers = allocator.allocate(T0);
    assertThat(offers).isNotEmpty().extracting(OfferDecision::role).containsOnly("a");
  }

  @Test
  void minAllocatableIsPerRole() {
    allocator.addAgent(A1, res("cpus:1;mem:4096"), Resources.empty());
    allocator.setMinAllocatable("big", List.of(res("cpus:2;mem:1024")));
    allocator.addFramework(F1, List.of("big"), List.of());
    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.addFramework(F2, List.of("small"), List.of());
    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::framework).isEqualTo(F2);
  }

  @Test
  void minAllocatableIsInheritedBySubroles() {
    allocator.addAgent(A1, res("cpus:1;mem:4096"), Resources.empty());
    allocator.setMinAllocatable("big", List.of(res("cpus:2")));
    allocator.addFramework(F1, List.of("big/child"), List.of());

    assertThat(allocator.allocate(T0)).isEmpty();
    allocator.setMinAllocatable("big", List.of());
    assertThat(allocator.allocate(T0)).hasSize(1);
  }

  @Test
  void offerConstraintsSelectAgentsByAttribute() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty(),
        List.of(Attribute.text("rack", "r1")));
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty(),
        List.of(Attribute.text("rack", "r2")));
    allocator.addFramework(F1, List.of("a"), List.of());
    allocator.setOfferConstraints(F1, List.of(OfferConstraint.equal("rack", "r2")));

    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::agent).isEqualTo(A2);
  }

  @Test
  void setMembershipConstraint() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty(),
        List.of(Attribute.text("zone", "a")));
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty(), List.of());
    allocator.addFramework(F1, List.of("x"), List.of());
    allocator.setOfferConstraints(F1, List.of(OfferConstraint.in("zone", "a", "b")));

    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::agent).isEqualTo(A1);
  }

  @Test
  void updatingAnAgentsAttributesReconsidersIt() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty(), List.of());
    allocator.addFramework(F1, List.of("x"), List.of());
    allocator.setOfferConstraints(F1, List.of(OfferConstraint.equal("gpu", "yes")));
    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.updateAgent(A1, res("cpus:4;mem:1024"), List.of(Attribute.text("gpu", "yes")));

    assertThat(allocator.allocate(T0)).hasSize(1);
  }

  @Test
  void updatingAnAgentKeepsItsAllocations() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("x"), List.of());
    OfferDecision d = allocator.allocate(T0).get(0);
    allocator.recoverResources(F1, A1, res("cpus:1;mem:256"), 0, T0);

    allocator.updateAgent(A1, res("cpus:8;mem:2048"), List.of());

    assertThat(d.resources()).isEqualTo(res("cpus:4;mem:1024"));
    assertThat(allocator.allocate(T0)).singleElement().extracting(OfferDecision::resources)
        .isEqualTo(res("cpus:5;mem:1280"));
  }

  @Test
  void removingAnAgentReleasesTheShareItsAllocationsGave() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("x"), List.of());
    allocator.addFramework(F2, List.of("y"), List.of());
    allocator.allocate(T0);
    allocator.removeAgent(A1);
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty());

    // f1 held a1; with a1 gone both are at share 0 and f1 has had one offer: f2 goes first.
    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::framework).isEqualTo(F2);
  }
}
