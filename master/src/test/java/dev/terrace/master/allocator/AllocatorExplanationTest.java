package dev.terrace.master.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import dev.terrace.master.allocator.Refusal.Reason;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllocatorExplanationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final AgentId A1 = AgentId.of("a1");
  private static final AgentId A2 = AgentId.of("a2");
  private static final FrameworkId F1 = FrameworkId.of("f1");
  private static final FrameworkId F2 = FrameworkId.of("f2");

  private final HierarchicalDrfAllocator allocator = new HierarchicalDrfAllocator();

  private static Resources res(String text) {
    return Resources.of(ResourceParser.parseResources(text));
  }

  private Refusal only(Explanation e) {
    assertThat(e.offerable()).as(e.summary()).isFalse();
    assertThat(e.refusals()).as(e.summary()).hasSize(1);
    return e.refusals().get(0);
  }

  @Test
  void unknownFramework() {
    assertThat(only(allocator.explain(F1)).reason()).isEqualTo(Reason.UNKNOWN_FRAMEWORK);
  }

  @Test
  void inactiveFramework() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());
    allocator.setFrameworkActive(F1, false);

    assertThat(only(allocator.explain(F1)).reason()).isEqualTo(Reason.INACTIVE);
  }

  @Test
  void suppressedRole() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of("a"));

    Refusal r = only(allocator.explain(F1));
    assertThat(r.reason()).isEqualTo(Reason.SUPPRESSED);
    assertThat(r.role()).isEqualTo("a");
  }

  @Test
  void noAgents() {
    allocator.addFramework(F1, List.of("a"), List.of());

    assertThat(only(allocator.explain(F1)).reason()).isEqualTo(Reason.NO_AGENTS);
  }

  @Test
  void filteredUntilWhenOnHowManyAgents() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());
    for (OfferDecision d : allocator.allocate(T0)) {
      allocator.recoverResources(F1, d.agent(), d.resources(), 30, T0);
    }
    allocator.allocate(T0.plusSeconds(1));

    Refusal r = only(allocator.explain(F1));
    assertThat(r.reason()).isEqualTo(Reason.FILTERED);
    assertThat(r.agents()).isEqualTo(2);
    assertThat(r.until()).isEqualTo(T0.plusSeconds(30));
    assertThat(r.message()).contains("until 2026-01-01T00:00:30Z on 2 agents");
  }

  @Test
  void quotaLimitNamesTheLimitingRole() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty());
    allocator.setQuota("eng", Resources.empty(), res("cpus:4;mem:1024"));
    allocator.addFramework(F1, List.of("eng/ml"), List.of());
    allocator.allocate(T0);

    // a1 is all offered to f1 already; a2 is what the limit keeps from it.
    Explanation e = allocator.explain(F1);
    assertThat(e.offerable()).isFalse();
    Refusal r = e.refusals().get(0);
    assertThat(r.reason()).isEqualTo(Reason.QUOTA_LIMIT);
    assertThat(r.role()).isEqualTo("eng");
    assertThat(r.agents()).isEqualTo(1);
    assertThat(r.message()).contains("quota limit of role eng reached (limit cpus:4;mem:1024)");
  }

  @Test
  void heldBackForOtherRolesGuarantees() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty());
    allocator.setQuota("q", res("cpus:4"), Resources.empty());
    allocator.setMinAllocatable("o", List.of(res("cpus:1")));
    allocator.addFramework(F1, List.of("o"), List.of());
    assertThat(allocator.allocate(T0)).hasSize(1);

    Explanation e = allocator.explain(F1);
    assertThat(e.offerable()).isFalse();
    Refusal r = e.refusals().get(0);
    assertThat(r.reason()).isEqualTo(Reason.QUOTA_HEADROOM);
    assertThat(r.agents()).isEqualTo(1);
  }

  @Test
  void belowMinimumAllocatable() {
    allocator.addAgent(A1, res("cpus:1;mem:1024"), Resources.empty());
    allocator.setMinAllocatable("big", List.of(res("cpus:2")));
    allocator.addFramework(F1, List.of("big"), List.of());

    Refusal r = only(allocator.explain(F1));
    assertThat(r.reason()).isEqualTo(Reason.MIN_ALLOCATABLE);
    assertThat(r.message()).contains("(cpus:2)");
  }

  @Test
  void constraintsNotSatisfied() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty(),
        List.of(Attribute.text("rack", "r1")));
    allocator.addFramework(F1, List.of("a"), List.of());
    allocator.setOfferConstraints(F1, List.of(OfferConstraint.equal("rack", "r9")));

    Refusal r = only(allocator.explain(F1));
    assertThat(r.reason()).isEqualTo(Reason.CONSTRAINTS);
    assertThat(r.message()).contains("rack EQUALS [r9]");
  }

  @Test
  void reservedForOtherRolesIsNothingFree() {
    allocator.addAgent(A1, res("cpus(b):4;mem(b):1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());

    assertThat(only(allocator.explain(F1)).reason()).isEqualTo(Reason.NO_FREE_RESOURCES);
  }

  /** The starved framework: everything is held by others, and these roles are served first. */
  @Test
  void waitingForFairShareBehindRoles() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F2, List.of("x"), List.of());
    allocator.allocate(T0);
    FrameworkId f3 = FrameworkId.of("f3");
    allocator.addFramework(f3, List.of("z"), List.of());
    allocator.addFramework(F1, List.of("y"), List.of());

    Explanation e = allocator.explain(F1);

    assertThat(e.offerable()).isFalse();
    assertThat(e.refusals()).extracting(Refusal::reason)
        .containsExactly(Reason.NO_FREE_RESOURCES, Reason.WAITING_FOR_FAIR_SHARE);
    assertThat(e.refusals().get(1).behind()).containsExactly("z");
    assertThat(e.summary()).contains("waiting for its fair share behind role z");
  }

  @Test
  void offerableWhenNothingStandsInTheWay() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());

    Explanation e = allocator.explain(F1);

    assertThat(e.offerable()).isTrue();
    assertThat(e.refusals()).isEmpty();
    assertThat(e.summary()).contains("next allocation");
  }

  @Test
  void explainsEveryRoleOfAFramework() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty(),
        List.of(Attribute.text("rack", "r1")));
    allocator.addFramework(F1, List.of("a", "b"), List.of("a"));
    allocator.setMinAllocatable("b", List.of(res("cpus:8")));

    Explanation e = allocator.explain(F1);

    assertThat(e.refusals()).extracting(Refusal::reason)
        .containsExactly(Reason.SUPPRESSED, Reason.MIN_ALLOCATABLE);
    assertThat(e.refusals()).extracting(Refusal::role).containsExactly("a", "b");
  }

  @Test
  void explainRoleCoversItsFrameworks() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of("a"));
    allocator.addFramework(F2, List.of("a"), List.of());
    allocator.setFrameworkActive(F2, false);

    Explanation e = allocator.explainRole("a");

    assertThat(e.offerable()).isFalse();
    assertThat(e.refusals()).extracting(Refusal::reason)
        .containsExactlyInAnyOrder(Reason.SUPPRESSED, Reason.INACTIVE);
    assertThat(allocator.explainRole("nobody").refusals().get(0).reason())
        .isEqualTo(Reason.UNKNOWN_ROLE);
    allocator.setQuota("empty", Resources.empty(), res("cpus:1"));
    assertThat(allocator.explainRole("empty").refusals().get(0).reason())
        .isEqualTo(Reason.NO_FRAMEWORKS);
  }

  @Test
  void simpleAllocatorSaysItCannotExplain() {
    Explanation e = new SimpleAllocator().explain(F1);
    assertThat(e.refusals()).extracting(Refusal::reason).containsExactly(Reason.NOT_EXPLAINED);
  }
}
