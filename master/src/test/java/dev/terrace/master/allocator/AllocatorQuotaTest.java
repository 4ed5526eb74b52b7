package dev.terrace.master.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllocatorQuotaTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final FrameworkId Q = FrameworkId.of("q");
  private static final FrameworkId OTHER = FrameworkId.of("other");

  private final HierarchicalDrfAllocator allocator = new HierarchicalDrfAllocator();

  private static Resources res(String text) {
    return Resources.of(ResourceParser.parseResources(text));
  }

  private void agents(int n, String each) {
    for (int i = 0; i < n; i++) {
      allocator.addAgent(AgentId.of("agent-" + i), res(each), Resources.empty());
    }
  }

  private static double cpusOf(List<OfferDecision> offers, FrameworkId fw) {
    return offers.stream().filter(d -> d.framework().equals(fw))
        .mapToDouble(d -> d.resources().scalar("cpus")).sum();
  }

  /** A role with a guarantee gets it even against a role whose weight says it should not. */
  @Test
  void guaranteesAreMetBeforeFairShare() {
    agents(4, "cpus:4;mem:4096");
    allocator.updateWeights(Map.of("big", 100.0));
    allocator.setQuota("q", res("cpus:10"), Resources.empty());
    allocator.addFramework(OTHER, List.of("big"), List.of());
    allocator.addFramework(Q, List.of("q"), List.of());

    List<OfferDecision> offers = allocator.allocate(T0);

    assertThat(cpusOf(offers, Q)).isEqualTo(10.0);
    assertThat(cpusOf(offers, OTHER)).isEqualTo(6.0);
  }

  @Test
  void twoGuaranteesThatFillTheClusterAreBothMet() {
    agents(4, "cpus:4;mem:4096");
    allocator.setQuota("q1", res("cpus:8"), Resources.empty());
    allocator.setQuota("q2", res("cpus:8"), Resources.empty());
    allocator.addFramework(Q, List.of("q1"), List.of());
    allocator.addFramework(OTHER, List.of("q2"), List.of());
    FrameworkId third = FrameworkId.of("third");
    allocator.addFramework(third, List.of("none"), List.of());

    List<OfferDecision> offers = allocator.allocate(T0);

    assertThat(cpusOf(offers, Q)).isEqualTo(8.0);
    assertThat(cpusOf(offers, OTHER)).isEqualTo(8.0);
    assertThat(cpusOf(offers, third)).isZero();
  }

  /** Beyond its guarantee a quota role competes by DRF like any other. */
  @Test
  void beyondItsGuaranteeARoleSharesFairly() {
    agents(8, "cpus:4;mem:4096");
    allocator.setQuota("q", res("cpus:4"), Resources.empty());
    allocator.addFramework(Q, List.of("q"), List.of());
    allocator.addFramework(OTHER, List.of("o"), List.of());
    TaskSimulation sim = new TaskSimulation(allocator)
        .framework(Q, res("cpus:1;mem:1024"))
        .framework(OTHER, res("cpus:1;mem:1024"));

    sim.runToCompletion(T0, 100);

    assertThat(sim.tasks(Q)).isEqualTo(16);
    assertThat(sim.tasks(OTHER)).isEqualTo(16);
  }

  /** Unmet guarantees hold resources back from other roles even before the role has a framework. */
  @Test
  void unmetGuaranteesAreHeldBackFromOtherRoles() {
    agents(4, "cpus:4;mem:4096");
    allocator.setQuota("q", res("cpus:8"), Resources.empty());
    allocator.addFramework(OTHER, List.of("o"), List.of());

    List<OfferDecision> offers = allocator.allocate(T0);
    assertThat(cpusOf(offers, OTHER)).isEqualTo(8.0);

    allocator.addFramework(Q, List.of("q"), List.of());
    assertThat(cpusOf(allocator.allocate(T0), Q)).isEqualTo(8.0);
  }

  @Test
  void limitsAreNeverCrossed() {
    agents(4, "cpus:4;mem:4096");
    allocator.setQuota("l", Resources.empty(), res("cpus:5"));
    allocator.addFramework(Q, List.of("l"), List.of());

    assertThat(cpusOf(allocator.allocate(T0), Q)).isEqualTo(5.0);
    assertThat(allocator.allocate(T0)).isEmpty();
  }

  @Test
  void limitsHoldWhileTasksComeAndGo() {
    agents(4, "cpus:4;mem:4096");
    allocator.setQuota("l", Resources.empty(), res("cpus:5"));
    allocator.addFramework(Q, List.of("l"), List.of());
    TaskSimulation sim = new TaskSimulation(allocator).framework(Q, res("cpus:0.5;mem:64"));

    sim.runToCompletion(T0, 50);

    assertThat(sim.tasks(Q)).isEqualTo(10);
  }

  /** Reservations count toward the limit whether or not they are allocated. */
  @Test
  void limitsCountReservations() {
    allocator.addAgent(AgentId.of("r"), res("cpus(l):2;mem(l):1024"), Resources.empty());
    agents(2, "cpus:4;mem:4096");
    allocator.setQuota("l", Resources.empty(), res("cpus:5"));
    allocator.addFramework(Q, List.of("l"), List.of());

    List<OfferDecision> offers = allocator.allocate(T0);

    assertThat(cpusOf(offers, Q)).isEqualTo(5.0);
    double unreserved = offers.stream()
        .mapToDouble(d -> d.resources().reservedFor("*").scalar("cpus")).sum();
    assertThat(unreserved).isEqualTo(3.0);
  }

  /** A parent's limit caps its subroles together. */
  @Test
  void aParentsLimitCapsItsSubroles() {
    agents(4, "cpus:4;mem:4096");
    allocator.setQuota("eng", Resources.empty(), res("cpus:6"));
    allocator.addFramework(Q, List.of("eng/ml"), List.of());
    allocator.addFramework(OTHER, List.of("eng/web"), List.of());

    List<OfferDecision> offers = allocator.allocate(T0);

    assertThat(cpusOf(offers, Q) + cpusOf(offers, OTHER)).isEqualTo(6.0);
  }

  /** Regression: a removed framework's leftovers stopped counting and its role's limit was crossed. */
  @Test
  void aRemovedFrameworksHoldingsCountTowardTheLimitUntilRecovered() {
    agents(2, "cpus:4;mem:4096");
    allocator.setQuota("l", Resources.empty(), res("cpus:4"));
    allocator.addFramework(Q, List.of("l"), List.of());
    OfferDecision held = allocator.allocate(T0).get(0);
    allocator.removeFramework(Q);
    allocator.addFramework(OTHER, List.of("l"), List.of());

    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.recoverResources(Q, held.agent(), held.resources(), 0, T0);
    assertThat(cpusOf(allocator.allocate(T0), OTHER)).isEqualTo(4.0);
  }

  @Test
  void removingQuotaLiftsTheLimit() {
    agents(2, "cpus:4;mem:4096");
    allocator.setQuota("l", Resources.empty(), res("cpus:1"));
    allocator.addFramework(Q, List.of("l"), List.of());
    assertThat(cpusOf(allocator.allocate(T0), Q)).isEqualTo(1.0);

    allocator.setQuota("l", Resources.empty(), Resources.empty());

    assertThat(cpusOf(allocator.allocate(T0), Q)).isEqualTo(7.0);
  }
}
