package dev.terrace.master.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Allocator} must do, whatever its policy: offer free resources, never twice,
 * honour filters, suppression, activity and reservations. Each implementation's test extends it.
 */
abstract class AllocatorContractTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final AgentId A1 = AgentId.of("a1");
  static final AgentId A2 = AgentId.of("a2");
  static final FrameworkId F1 = FrameworkId.of("f1");
  static final FrameworkId F2 = FrameworkId.of("f2");

  protected final Allocator allocator = create();

  protected abstract Allocator create();

  static Resources res(String text) {
    return Resources.of(ResourceParser.parseResources(text));
  }

  private static List<FrameworkId> frameworksOf(List<OfferDecision> decisions) {
    return decisions.stream().map(OfferDecision::framework).toList();
  }

  @Test
  void offersAnAgentsWholeFreeResourcesToOneFramework() {
    allocator.addAgent(A1, res("cpus:4;mem:1024;ports:[31000-32000]"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());

    List<OfferDecision> offers = allocator.allocate(T0);

    assertThat(offers).containsExactly(new OfferDecision(F1, A1, "*",
        res("cpus:4;mem:1024;ports:[31000-32000]")));
  }

  @Test
  void nothingToOfferWithoutFrameworksOrAgents() {
    assertThat(allocator.allocate(T0)).isEmpty();
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    assertThat(allocator.allocate(T0)).isEmpty();
    allocator.removeAgent(A1);
    allocator.addFramework(F1, List.of("*"), List.of());
    assertThat(allocator.allocate(T0)).isEmpty();
  }

  @Test
  void usedResourcesAreNotOffered() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), res("cpus:1;mem:256"));
    allocator.addFramework(F1, List.of("*"), List.of());

    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::resources).isEqualTo(res("cpus:3;mem:768"));
  }

  @Test
  void roundRobinAcrossFrameworksForOneAgent() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    allocator.addFramework(F2, List.of("*"), List.of());

    List<FrameworkId> turns = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      List<OfferDecision> offers = allocator.allocate(T0);
      assertThat(offers).hasSize(1);
      OfferDecision d = offers.get(0);
      turns.add(d.framework());
      allocator.recoverResources(d.framework(), d.agent(), d.resources(), 0, T0);
    }

    assertThat(turns).containsExactly(F1, F2, F1, F2);
  }

  @Test
  void twoAgentsInOneCycleGoToDifferentFrameworks() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addAgent(A2, res("cpus:2;mem:512"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    allocator.addFramework(F2, List.of("*"), List.of());

    List<OfferDecision> offers = allocator.allocate(T0);

    assertThat(offers).hasSize(2);
    assertThat(frameworksOf(offers)).containsExactlyInAnyOrder(F1, F2);
    assertThat(offers).extracting(OfferDecision::agent).containsExactlyInAnyOrder(A1, A2);
  }

  @Test
  void offeredResourcesAreNotOfferedAgainUntilRecovered() {
    allocator.addAgent(A1, res("cpus:4;mem:1024;ports:[31000-31009]"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    allocator.addFramework(F2, List.of("*"), List.of());

    OfferDecision first = allocator.allocate(T0).get(0);
    assertThat(allocator.allocate(T0)).isEmpty();
    assertThat(allocator.allocate(T0.plusSeconds(60))).isEmpty();

    // Only part comes back (the rest is now used by a task): only that part is offered.
    Resources back = res("cpus:1;mem:256;ports:[31005-31009]");
    allocator.recoverResources(first.framework(), A1, back, 0, T0);

    List<OfferDecision> again = allocator.allocate(T0);
    assertThat(again).singleElement().extracting(OfferDecision::resources).isEqualTo(back);
    assertThat(allocator.allocate(T0)).isEmpty();
  }

  @Test
  void addUsedRemovesResourcesFromLaterOffers() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addUsed(F1, A1, res("cpus:3;mem:512"));
    allocator.addFramework(F1, List.of("*"), List.of());

    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::resources).isEqualTo(res("cpus:1;mem:512"));
  }

  @Test
  void refuseSecondsFiltersTheAgentForThatFrameworkUntilThen() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    OfferDecision d = allocator.allocate(T0).get(0);

    allocator.recoverResources(F1, A1, d.resources(), 5, T0);

    assertThat(allocator.allocate(T0)).isEmpty();
    assertThat(allocator.allocate(T0.plusMillis(4999))).isEmpty();
    assertThat(allocator.allocate(T0.plusSeconds(5))).singleElement()
        .extracting(OfferDecision::framework).isEqualTo(F1);
  }

  @Test
  void aFilterOfOneFrameworkLetsAnotherFrameworkHaveTheAgent() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    allocator.addFramework(F2, List.of("*"), List.of());
    OfferDecision d = allocator.allocate(T0).get(0);
    assertThat(d.framework()).isEqualTo(F1);
    allocator.recoverResources(F1, A1, d.resources(), 3600, T0);
    OfferDecision toF2 = allocator.allocate(T0).get(0);
    assertThat(toF2.framework()).isEqualTo(F2);
    allocator.recoverResources(F2, A1, toF2.resources(), 0, T0);

    for (int i = 0; i < 3; i++) {
      OfferDecision next = allocator.allocate(T0.plusSeconds(i)).get(0);
      assertThat(next.framework()).isEqualTo(F2);
      allocator.recoverResources(F2, A1, next.resources(), 0, T0);
    }
  }

  @Test
  void aFilterOnOneAgentDoesNotAffectOtherAgents() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    OfferDecision d = allocator.allocate(T0).get(0);
    allocator.recoverResources(F1, A1, d.resources(), 60, T0);
    allocator.addAgent(A2, res("cpus:2;mem:512"), Resources.empty());

    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::agent).isEqualTo(A2);
  }

  @Test
  void fractionalRefuseSeconds() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    OfferDecision d = allocator.allocate(T0).get(0);
    allocator.recoverResources(F1, A1, d.resources(), 0.5, T0);

    assertThat(allocator.allocate(T0.plusMillis(499))).isEmpty();
    assertThat(allocator.allocate(T0.plusMillis(500))).hasSize(1);
  }

  @Test
  void reviveClearsFilters() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    OfferDecision d = allocator.allocate(T0).get(0);
    allocator.recoverResources(F1, A1, d.resources(), 3600, T0);
    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.revive(F1, List.of());

    assertThat(allocator.allocate(T0)).hasSize(1);
  }

  @Test
  void suppressStopsOffersAndReviveResumesThem() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());

    allocator.suppress(F1, List.of());
    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.revive(F1, List.of());
    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::framework).isEqualTo(F1);
  }

  @Test
  void frameworkSubscribedWithAllRolesSuppressedGetsNothing() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of("a"));
    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.revive(F1, List.of("a"));
    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::role).isEqualTo("a");
  }

  @Test
  void suppressingOneRoleOffersForTheOthers() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a", "b"), List.of());

    allocator.suppress(F1, List.of("a"));

    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::role).isEqualTo("b");
  }

  @Test
  void aSuppressedFrameworkLetsTheOtherFrameworkHaveEveryOffer() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    allocator.addFramework(F2, List.of("*"), List.of());
    allocator.suppress(F1, List.of());

    for (int i = 0; i < 3; i++) {
      OfferDecision d = allocator.allocate(T0).get(0);
      assertThat(d.framework()).isEqualTo(F2);
      allocator.recoverResources(F2, A1, d.resources(), 0, T0);
    }
  }

  @Test
  void inactiveAgentGetsNoOffersUntilActiveAgain() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());

    allocator.setAgentActive(A1, false);
    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.setAgentActive(A1, true);
    assertThat(allocator.allocate(T0)).hasSize(1);
  }

  @Test
  void inactiveFrameworkGetsNoOffersUntilActiveAgain() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    allocator.addFramework(F2, List.of("*"), List.of());

    allocator.setFrameworkActive(F1, false);
    OfferDecision d = allocator.allocate(T0).get(0);
    assertThat(d.framework()).isEqualTo(F2);
    allocator.recoverResources(F2, A1, d.resources(), 0, T0);
    allocator.setFrameworkActive(F2, false);
    assertThat(allocator.allocate(T0)).isEmpty();

    allocator.setFrameworkActive(F1, true);
    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::framework).isEqualTo(F1);
  }

  @Test
  void removedAgentsAndFrameworksGetNothing() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addAgent(A2, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    allocator.addFramework(F2, List.of("*"), List.of());

    allocator.removeAgent(A1);
    allocator.removeFramework(F1);

    assertThat(allocator.allocate(T0)).singleElement()
        .isEqualTo(new OfferDecision(F2, A2, "*", res("cpus:4;mem:1024")));
  }

  @Test
  void unknownIdsAreIgnored() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());
    FrameworkId ghost = FrameworkId.of("ghost");
    AgentId nowhere = AgentId.of("nowhere");

    allocator.setAgentActive(nowhere, false);
    allocator.setFrameworkActive(ghost, false);
    allocator.suppress(ghost, List.of());
    allocator.revive(ghost, List.of());
    allocator.addUsed(F1, nowhere, res("cpus:1"));
    allocator.recoverResources(ghost, nowhere, res("cpus:1"), 10, T0);
    allocator.removeAgent(nowhere);
    allocator.removeFramework(ghost);

    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::resources).isEqualTo(res("cpus:4;mem:1024"));
  }

  @Test
  void tinyLeftoversAreNotOffered() {
    allocator.addAgent(A1, res("cpus:4;mem:1024;disk:100"), res("cpus:3.995;mem:1000"));
    allocator.addFramework(F1, List.of("*"), List.of());

    assertThat(allocator.allocate(T0)).isEmpty();
  }

  @Test
  void leftoversAtTheMinimumAreOffered() {
    allocator.addAgent(A1, res("cpus:4;mem:1024"), res("cpus:3.99;mem:1024"));
    allocator.addAgent(A2, res("cpus:4;mem:1024"), res("cpus:4;mem:992"));
    allocator.addFramework(F1, List.of("*"), List.of());

    assertThat(allocator.allocate(T0)).extracting(OfferDecision::resources)
        .containsExactlyInAnyOrder(res("cpus:0.01"), res("mem:32"));
  }

  @Test
  void frameworkOfRoleGetsUnreservedAndItsOwnReservationsButNeverOthers() {
    allocator.addAgent(A1, res("cpus:2;mem:512;cpus(a):1;mem(a):256;cpus(b):3;mem(b):128"),
        Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());

    OfferDecision d = allocator.allocate(T0).get(0);

    assertThat(d.role()).isEqualTo("a");
    assertThat(d.resources()).isEqualTo(res("cpus:2;mem:512;cpus(a):1;mem(a):256"));
    assertThat(d.resources().reservedFor("b").isEmpty()).isTrue();
    assertThat(d.resources().scalar("cpus")).isEqualTo(3.0);
  }

  @Test
  void unreservedFrameworkNeverGetsReservedResources() {
    allocator.addAgent(A1, res("cpus:2;mem:512;cpus(b):3;mem(b):128"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());

    OfferDecision d = allocator.allocate(T0).get(0);

    assertThat(d.resources()).isEqualTo(res("cpus:2;mem:512"));
    assertThat(allocator.allocate(T0)).as("only b-reserved resources are left").isEmpty();
  }

  /** Regression: for role "*" the unreserved part was added twice (unreserved + reserved-for-"*"). */
  @Test
  void unreservedResourcesAreNotDoubleCountedForTheStarRole() {
    allocator.addAgent(A1, res("cpus:4;mem:1024;disk:2048;ports:[31000-31999]"), Resources.empty());
    allocator.addFramework(F1, List.of("*"), List.of());

    OfferDecision d = allocator.allocate(T0).get(0);

    assertThat(d.resources()).isEqualTo(res("cpus:4;mem:1024;disk:2048;ports:[31000-31999]"));
    assertThat(d.resources().scalar("cpus")).isEqualTo(4.0);
    assertThat(d.resources().scalar("mem")).isEqualTo(1024.0);
    // And the agent's books stay right: recovering the offer makes exactly the total free again.
    allocator.recoverResources(F1, A1, d.resources(), 0, T0);
    assertThat(allocator.allocate(T0)).singleElement()
        .extracting(OfferDecision::resources).isEqualTo(d.resources());
  }


  /**
   * A framework with nothing offerable on an agent (only another role's reservations are free)
   * must not block the frameworks after it: the agent goes to the next framework that can use it.
   */
  @Test
  void frameworkWithNothingOfferableDoesNotStarveTheNextOne() {
    allocator.addAgent(A1, res("cpus(b):4;mem(b):1024"), Resources.empty());
    allocator.addFramework(F1, List.of("a"), List.of());
    allocator.addFramework(F2, List.of("b"), List.of());

    assertThat(allocator.allocate(T0)).singleElement()
        .isEqualTo(new OfferDecision(F2, A1, "b", res("cpus(b):4;mem(b):1024")));
  }
}
