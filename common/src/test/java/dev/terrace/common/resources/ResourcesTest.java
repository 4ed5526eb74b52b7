package dev.terrace.common.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.AllocationInfo;
import dev.terrace.common.model.ReservationInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourcesTest {

  private static Resources parse(String text) {
    return Resources.of(ResourceParser.parseResources(text));
  }

  private static Value.Range range(long begin, long end) {
    return new Value.Range(begin, end);
  }

  private static Resource reserved(Resource r, String role) {
    return new Resource(r.name(), r.type(), r.scalar(), r.ranges(), r.set(), null, null,
        List.of(new ReservationInfo(ReservationInfo.Type.DYNAMIC, role, "p", null)), null);
  }

  // ---- scalars

  @Test
  void scalarsAreFixedPointSoTenthsCancelExactly() {
    Resources sum = Resources.of(Resource.scalar("cpus", 0.1)).plus(Resources.of(Resource.scalar("cpus", 0.2)));
    assertThat(sum.scalar("cpus")).isEqualTo(0.3);
    Resources left = sum.minus(Resources.of(Resource.scalar("cpus", 0.3)));
    assertThat(left.isEmpty()).isTrue();
    assertThat(left).isEqualTo(Resources.empty());
    assertThat(left.scalar("cpus")).isEqualTo(0.0);
  }

  @Test
  void manySmallTasksAddUpExactly() {
    Resources total = Resources.empty();
    for (int i = 0; i < 10; i++) {
      total = total.plus(Resources.of(Resource.scalar("cpus", 0.1)));
    }
    assertThat(total).isEqualTo(Resources.of(Resource.scalar("cpus", 1.0)));
    assertThat(total.toString()).isEqualTo("cpus:1");
  }

  @Test
  void scalarPlusMinusContains() {
    Resources offer = parse("cpus:4;mem:2048");
    Resources task = parse("cpus:1.5;mem:512");
    assertThat(offer.contains(task)).isTrue();
    assertThat(task.contains(offer)).isFalse();
    Resources left = offer.minus(task);
    assertThat(left.scalar("cpus")).isEqualTo(2.5);
    assertThat(left.scalar("mem")).isEqualTo(1536.0);
    assertThat(left.plus(task)).isEqualTo(offer);
    assertThat(offer.contains(Resources.empty())).isTrue();
    assertThat(offer.contains(parse("gpus:1"))).isFalse();
  }

  @Test
  void minusFloorsAtZeroAndIgnoresWhatIsNotThere() {
    Resources left = parse("cpus:1;mem:100").minus(parse("cpus:3;disk:50"));
    assertThat(left).isEqualTo(parse("mem:100"));
  }

  @Test
  void sameNameEntriesMergeAndZeroIsDropped() {
    assertThat(parse("cpus:1;cpus:2;mem:0")).isEqualTo(parse("cpus:3"));
  }

  @Test
  void negativeOrNonFiniteScalarsAreRejected() {
    assertThatThrownBy(() -> Resources.of(Resource.scalar("cpus", -1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cpus");
    assertThatThrownBy(() -> Resources.of(Resource.scalar("cpus", Double.NaN)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Resources.of(Resource.scalar("mem", Double.POSITIVE_INFINITY)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeScalarFromTheWireIsRejected() {
    Resource r = Json.parse("{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":-0.5}}", Resource.class);
    assertThatThrownBy(() -> Resources.of(r)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- ranges

  @Test
  void takingAPortFromTheMiddleSplitsTheRange() {
    Resources offer = parse("ports:[31000-32000]");
    Resources left = offer.minus(parse("ports:[31500-31500]"));
    assertThat(left.ranges("ports")).containsExactly(range(31000, 31499), range(31501, 32000));
    assertThat(left.toString()).isEqualTo("ports:[31000-31499, 31501-32000]");
  }

  @Test
  void takingTheEndsShrinksTheRange() {
    Resources left = parse("ports:[100-200]").minus(parse("ports:[100-110, 190-200]"));
    assertThat(left.ranges("ports")).containsExactly(range(111, 189));
    assertThat(parse("ports:[100-200]").minus(parse("ports:[50-300]")).isEmpty()).isTrue();
  }

  @Test
  void adjacentAndOverlappingRangesMerge() {
    assertThat(parse("ports:[1-5]").plus(parse("ports:[6-10]")).ranges("ports"))
        .containsExactly(range(1, 10));
    assertThat(parse("ports:[20-30, 1-5, 4-8, 40-40]").ranges("ports"))
        .containsExactly(range(1, 8), range(20, 30), range(40, 40));
    assertThat(parse("ports:[1-5, 7-9]").plus(parse("ports:[6-6]")))
        .isEqualTo(parse("ports:[1-9]"));
  }

  @Test
  void splitThenGiveBackRestoresTheOriginal() {
    Resources offer = parse("ports:[31000-32000]");
    Resources task = parse("ports:[31000-31000, 31010-31020, 32000-32000]");
    Resources left = offer.minus(task);
    assertThat(left.contains(task)).isFalse();
    assertThat(left.plus(task)).isEqualTo(offer);
  }

  @Test
  void rangeContainment() {
    Resources offer = parse("ports:[1-10, 20-30]");
    assertThat(offer.contains(parse("ports:[2-3, 25-30]"))).isTrue();
    assertThat(offer.contains(parse("ports:[9-21]"))).isFalse();
    assertThat(offer.contains(parse("ports:[11-11]"))).isFalse();
    // Adjacent pieces are merged first, so a range spanning them is contained.
    assertThat(Resources.of(Resource.ranges("ports", List.of(range(1, 5), range(6, 10))))
        .contains(parse("ports:[3-8]"))).isTrue();
  }

  // ---- sets

  @Test
  void setsUnionSubtractAndContain() {
    Resources disks = parse("disks:{sda, sdb}");
    assertThat(disks.plus(parse("disks:{sdc,sda}"))).isEqualTo(parse("disks:{sda,sdb,sdc}"));
    assertThat(disks.minus(parse("disks:{sdb}"))).isEqualTo(parse("disks:{sda}"));
    assertThat(disks.minus(parse("disks:{sda,sdb}")).isEmpty()).isTrue();
    assertThat(disks.contains(parse("disks:{sdb}"))).isTrue();
    assertThat(disks.contains(parse("disks:{sdz}"))).isFalse();
    assertThat(disks.toString()).isEqualTo("disks:{sda, sdb}");
  }

  // ---- identity: reservations, allocation info, legacy role

  @Test
  void reservationsAreKeptApart() {
    Resources all = Resources.of(Resource.scalar("cpus", 4),
        reserved(Resource.scalar("cpus", 2), "analytics"));
    assertThat(all.scalar("cpus")).isEqualTo(6.0);
    assertThat(all.reservedFor("analytics").scalar("cpus")).isEqualTo(2.0);
    assertThat(all.reservedFor("*").scalar("cpus")).isEqualTo(4.0);
    assertThat(all.contains(Resources.of(reserved(Resource.scalar("cpus", 3), "analytics")))).isFalse();
    assertThat(all.contains(Resources.of(Resource.scalar("cpus", 4)))).isTrue();
    assertThat(all.contains(Resources.of(Resource.scalar("cpus", 5)))).isFalse();
    assertThat(all.minus(Resources.of(Resource.scalar("cpus", 4)))).isEqualTo(
        Resources.of(reserved(Resource.scalar("cpus", 2), "analytics")));
    assertThat(all.toString()).isEqualTo("cpus:4; cpus(analytics):2");
  }

  @Test
  void staticAndDynamicReservationsForOneRoleDiffer() {
    Resources stat = parse("cpus(analytics):2");
    Resources dyn = Resources.of(reserved(Resource.scalar("cpus", 2), "analytics"));
    assertThat(stat).isNotEqualTo(dyn);
    assertThat(stat.contains(dyn)).isFalse();
  }

  @Test
  void allocationInfoIsNotPartOfIdentity() {
    Resource offered = Resource.scalar("cpus", 2).withAllocationRole("analytics");
    assertThat(offered.allocationInfo()).isEqualTo(new AllocationInfo("analytics"));
    Resources offer = Resources.of(offered);
    assertThat(offer).isEqualTo(Resources.of(Resource.scalar("cpus", 2)));
    assertThat(offer.contains(Resources.of(Resource.scalar("cpus", 1).withAllocationRole("other"))))
        .isTrue();
    assertThat(offer.toList()).containsExactly(Resource.scalar("cpus", 2));
    assertThat(offer.toList("analytics")).containsExactly(offered);
  }

  @Test
  void legacyStarRoleIsUnreserved() {
    Resource legacy = new Resource("cpus", Value.Type.SCALAR, new Value.Scalar(2), null, null, "*",
        null, null, null);
    assertThat(Resources.of(legacy)).isEqualTo(Resources.of(Resource.scalar("cpus", 2)));
    assertThat(Resources.of(legacy).contains(Resources.of(Resource.scalar("cpus", 1)))).isTrue();
    assertThat(Resources.of(Resource.scalar("cpus", 2)).contains(Resources.of(legacy))).isTrue();
  }

  @Test
  void toListRoundTripsThroughWireForm() {
    Resources r = parse("cpus:2.5;mem:1024;ports:[31000-31099, 31200-31299];disks:{a,b};gpus(ml):1");
    assertThat(Resources.of(r.toList())).isEqualTo(r);
    assertThat(r.toList("analytics")).allSatisfy(
        res -> assertThat(res.allocationInfo().role()).isEqualTo("analytics"));
  }

  @Test
  void equalityIgnoresOrder() {
    assertThat(parse("cpus:1;mem:2;ports:[1-2]")).isEqualTo(parse("ports:[1-2];mem:2;cpus:1"))
        .hasSameHashCodeAs(parse("ports:[1-2];mem:2;cpus:1"));
  }

  @Test
  void toStringIsMesosShortForm() {
    assertThat(parse("cpus:2;mem:1024;ports:[31000-32000]").toString())
        .isEqualTo("cpus:2; mem:1024; ports:[31000-32000]");
    assertThat(parse("cpus:0.25").toString()).isEqualTo("cpus:0.25");
    assertThat(Resources.empty().toString()).isEmpty();
  }

  @Test
  void operationsDoNotMutateTheirOperands() {
    Resources offer = parse("cpus:4;ports:[1-100]");
    Resources copy = parse("cpus:4;ports:[1-100]");
    offer.minus(parse("cpus:1;ports:[50-50]"));
    offer.plus(parse("cpus:1;ports:[101-200]"));
    assertThat(offer).isEqualTo(copy);
    assertThat(offer.ranges("ports")).containsExactly(range(1, 100));
  }

  @Test
  void textIsNotAResource() {
    assertThatThrownBy(() -> Json.parse("{\"name\":\"x\",\"type\":\"TEXT\",\"text\":{\"value\":\"a\"}}",
        Resource.class)).hasMessageContaining("cannot be TEXT");
  }
}
