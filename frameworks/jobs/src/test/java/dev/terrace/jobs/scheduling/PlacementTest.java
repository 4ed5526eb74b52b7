package dev.terrace.jobs.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AllocationInfo;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Resource;
import dev.terrace.sdk.placement.Constraint;
import dev.terrace.jobs.spec.JobSpec;
import dev.terrace.jobs.state.Attempt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static Offer offer(String host, double cpus, double mem, String role, Attribute... attrs) {
    return new Offer(OfferId.of("o-" + host), null, AgentId.of("a-" + host), host, null,
        new AllocationInfo(role), List.of(Resource.scalar("cpus", cpus).withAllocationRole(role),
            Resource.scalar("mem", mem).withAllocationRole(role)), List.of(attrs), null, null);
  }

  private static JobSpec spec(double mem, String role, Constraint... constraints) {
    return new JobSpec("j", null, "true", 0.5, mem, null, null, null, null, role, List.of(constraints), 3,
        null, null, null, null, null, null, null).withDefaults();
  }

  private static List<Demand> demands(JobSpec spec, int n) {
    return java.util.stream.IntStream.range(0, n)
        .mapToObj(i -> new Demand(spec, 1, Attempt.pending(i, 0, 0), List.of())).toList();
  }

  @Test
  void unplacedAttemptsSayWhyOfferByOffer() {
    JobSpec s = spec(512, "*", Constraint.parse("rack:LIKE:r1"));
    Placement.Result r = Placement.place(demands(s, 1), List.of(
        offer("small", 2, 256, "*", Attribute.text("rack", "r1")),
        offer("wrongrack", 2, 1024, "*", Attribute.text("rack", "r2")),
        offer("other-role", 2, 1024, "analytics", Attribute.text("rack", "r1"))));
    assertThat(r.assignments()).isEmpty();
    assertThat(r.refusals().get("j.1.0")).containsExactly(
        "small: not enough mem (needs 512, offer has 256)",
        "wrongrack: constraint rack:LIKE:r1 unmet: rack is r2",
        "other-role: offered to role analytics, the task runs as *");
    assertThat(Placement.place(demands(s, 1), List.of()).refusals().get("j.1.0"))
        .containsExactly("no offer from the master right now");
  }

  @Test
  void resourcesOfAnOfferAreSharedOutAndUniqueSpreadsInstances() {
    JobSpec packed = spec(100, "*");
    Placement.Result r = Placement.place(demands(packed, 3), List.of(offer("h1", 1, 1000, "*")));
    assertThat(r.assignments()).hasSize(2); // 0.5 cpus each out of 1
    assertThat(r.refusals().get("j.1.2").get(0)).contains("not enough cpus (needs 0.50, offer has 0)");

    JobSpec unique = spec(100, "*", Constraint.parse("hostname:UNIQUE"));
    Placement.Result u = Placement.place(demands(unique, 3), List.of(offer("h1", 4, 1000, "*"),
        offer("h2", 4, 1000, "*")));
    assertThat(u.assignments()).extracting(a -> a.offer().hostname()).containsExactly("h1", "h2");
    assertThat(u.refusals().get("j.1.2")).containsExactly(
        "h1: constraint hostname:UNIQUE unmet: another instance runs on hostname=h1",
        "h2: constraint hostname:UNIQUE unmet: another instance runs on hostname=h2");
  }

  @Test
  void clusterKeepsARunTogetherAndUnlikeKeepsAway() {
    JobSpec cluster = spec(100, "*", Constraint.parse("zone:CLUSTER"));
    List<Demand> withSibling = List.of(new Demand(cluster, 1, Attempt.pending(1, 0, 0), List.of(Map.of("zone", "b"))));
    Placement.Result r = Placement.place(withSibling, List.of(offer("h1", 4, 1000, "*", Attribute.text("zone", "a")),
        offer("h2", 4, 1000, "*", Attribute.text("zone", "b"))));
    assertThat(r.assignments()).singleElement().satisfies(a -> assertThat(a.offer().hostname()).isEqualTo("h2"));

    JobSpec unlike = spec(100, "*", Constraint.parse("hostname:UNLIKE:h1.*"));
    Placement.Result u = Placement.place(demands(unlike, 1), List.of(offer("h1", 4, 1000, "*"), offer("h2", 4, 1000, "*")));
    assertThat(u.assignments()).singleElement().satisfies(a -> assertThat(a.offer().hostname()).isEqualTo("h2"));
  }
}
