package dev.terrace.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Resource;
import dev.terrace.spark.placement.ExecutorPlacement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorPlacementTest {
  private static Offer offer(String id, double cpus, double mem) {
    return new Offer(OfferId.of(id), null, AgentId.of("agent-" + id), "host-" + id, null, null,
        List.of(Resource.scalar("cpus", cpus), Resource.scalar("mem", mem)), null, null, null);
  }

  @Test
  void executorsAreSpreadOneOfferAtATime() {
    Map<OfferId, Integer> placed = ExecutorPlacement.place(
        List.of(offer("a", 8, 8192), offer("b", 8, 8192)), 2, 1024, 3, Integer.MAX_VALUE, o -> true);
    assertThat(placed).containsExactly(Map.entry(OfferId.of("a"), 2), Map.entry(OfferId.of("b"), 1));
  }

  @Test
  void coresMaxAndTheOffersSizeBoundThePlacement() {
    assertThat(ExecutorPlacement.place(List.of(offer("a", 8, 8192)), 2, 1024, 10, 5, o -> true))
        .containsExactly(Map.entry(OfferId.of("a"), 2));
    assertThat(ExecutorPlacement.place(List.of(offer("a", 8, 2500)), 1, 1024, 10, 100, o -> true))
        .containsExactly(Map.entry(OfferId.of("a"), 2));
    assertThat(ExecutorPlacement.place(List.of(offer("a", 1, 8192)), 2, 1024, 10, 100, o -> true)).isEmpty();
  }

  @Test
  void ineligibleOffersGetNothing() {
    assertThat(ExecutorPlacement.place(List.of(offer("a", 8, 8192), offer("b", 8, 8192)), 1, 512, 2,
        100, o -> !o.id().value().equals("a"))).containsExactly(Map.entry(OfferId.of("b"), 2));
  }

  @Test
  void nothingWantedPlacesNothing() {
    assertThat(ExecutorPlacement.place(List.of(offer("a", 8, 8192)), 1, 512, 0, 100, o -> true)).isEmpty();
  }
}
