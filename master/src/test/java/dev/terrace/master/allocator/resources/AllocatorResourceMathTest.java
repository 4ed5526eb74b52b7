package dev.terrace.master.allocator.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.Value;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The allocator's compact resources: vectors, port intervals and the wire edge. */
class AllocatorResourceMathTest {
  private final CompactResources compact = new CompactResources(new ResourceSchema());

  private static Resources res(String text) {
    return Resources.of(ResourceParser.parseResources(text));
  }

  private static PortRanges ports(long... bounds) {
    List<Value.Range> ranges = new java.util.ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      ranges.add(new Value.Range(bounds[i], bounds[i + 1]));
    }
    return PortRanges.of(ranges);
  }

  @Test
  void portRangesMergeOverlappingAndAdjacentIntervals() {
    assertThat(ports(10, 20, 15, 25, 26, 30, 40, 40).toRanges())
        .containsExactly(new Value.Range(10, 30), new Value.Range(40, 40));
  }

  @Test
  void portRangesSubtractSplitsIntervals() {
    PortRanges p = ports(31000, 32000);
    p.subtract(ports(31000, 31009, 31500, 31500, 31990, 32100));
    assertThat(p.toRanges()).containsExactly(
        new Value.Range(31010, 31499), new Value.Range(31501, 31989));
    assertThat(p.covers(ports(31010, 31020))).isTrue();
    assertThat(p.covers(ports(31495, 31505))).isFalse();
  }

  @Test
  void portRangesAddBackRestoresTheWhole() {
    PortRanges p = ports(1, 100);
    PortRanges taken = ports(10, 19, 50, 50);
    p.subtract(taken);
    p.add(taken);
    assertThat(p).isEqualTo(ports(1, 100));
  }

  @Test
  void portRangesRetainKeepsTheIntersection() {
    PortRanges p = ports(1, 10, 20, 30);
    p.retain(ports(5, 25));
    assertThat(p).isEqualTo(ports(5, 10, 20, 25));
  }

  @Test
  void vectorsDoFixedPointArithmeticAndDominantShares() {
    ResourceVector total = compact.split(res("cpus:10;mem:1000")).get(0).scalars;
    ResourceVector v = compact.split(res("cpus:0.1;mem:100")).get(0).scalars;
    v.add(compact.split(res("cpus:0.2")).get(0).scalars);
    v.subtract(compact.split(res("cpus:0.3")).get(0).scalars);
    assertThat(v.get(ResourceSchema.CPUS)).isZero();
    assertThat(v.dominantShare(total)).isEqualTo(0.1);
  }

  @Test
  void splitsByReservationAndConvertsBackExactly() {
    Resources r = res("cpus:2;mem:512;ports:[31000-31009];cpus(eng/ml):1.5;mem(eng/ml):64;"
        + "gpus_ids:{a,b};custom:3");
    List<ResourcePart> parts = compact.split(r);

    assertThat(parts).extracting(p -> p.key.role()).containsExactly("*", "eng/ml");
    assertThat(parts.get(0).ports).isEqualTo(ports(31000, 31009));
    assertThat(parts.get(0).other).isEqualTo(res("gpus_ids:{a,b}"));
    assertThat(compact.toResources(parts)).isEqualTo(r);
  }

  @Test
  void reservationsAreOfferableToTheirRoleAndSubrolesOnly() {
    ReservationKey eng = compact.split(res("cpus(eng):1")).get(0).key;
    assertThat(eng.offerableTo("eng")).isTrue();
    assertThat(eng.offerableTo("eng/ml")).isTrue();
    assertThat(eng.offerableTo("engineering")).isFalse();
    assertThat(eng.offerableTo("ops")).isFalse();
    assertThat(ReservationKey.UNRESERVED.offerableTo("anyone")).isTrue();
  }

  @Test
  void tooManyScalarNamesAreRefused() {
    ResourceSchema schema = new ResourceSchema();
    for (int i = schema.size(); i < ResourceSchema.DIMS; i++) {
      schema.indexOf("r" + i);
    }
    assertThatThrownBy(() -> schema.indexOf("one-too-many"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
