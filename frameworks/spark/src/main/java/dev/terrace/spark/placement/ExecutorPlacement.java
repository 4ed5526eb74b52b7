package dev.terrace.spark.placement;

import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.resources.Resources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Decides how many executors go on each offer. Pure: it sees offers and numbers, never the
 * network, so its rules are tested on their own.
 *
 * <p>Executors are spread: one per eligible offer per round, round after round, until enough are
 * placed, the cores run out or nothing fits (Spark's standalone master spreads out the same way
 * by default, which keeps one lost machine from taking most of an application's executors).
 */
public final class ExecutorPlacement {
  private ExecutorPlacement() {}

  /**
   * @param offers    the offers at hand
   * @param cores     cpus of one executor
   * @param memMb     mem of one executor
   * @param wanted    executors still wanted
   * @param coresLeft cpus the application may still take ({@code spark.cores.max} minus in use)
   * @param eligible  which offers may take executors at all (constraints, failed agents)
   * @return executors per offer, for the offers that get at least one, in offer order
   */
  public static Map<OfferId, Integer> place(List<Offer> offers, int cores, double memMb, int wanted,
      int coresLeft, Predicate<Offer> eligible) {
    Map<OfferId, Integer> placed = new LinkedHashMap<>();
    Map<OfferId, double[]> left = new LinkedHashMap<>();
    for (Offer o : offers) {
      if (eligible.test(o)) {
        Resources r = Resources.of(o.resources());
        left.put(o.id(), new double[] {r.scalar("cpus"), r.scalar("mem")});
      }
    }
    boolean progress = true;
    while (wanted > 0 && coresLeft >= cores && progress) {
      progress = false;
      for (Map.Entry<OfferId, double[]> e : left.entrySet()) {
        double[] free = e.getValue();
        if (wanted == 0 || coresLeft < cores) {
          break;
        }
        if (free[0] >= cores && free[1] >= memMb) {
          free[0] -= cores;
          free[1] -= memMb;
          placed.merge(e.getKey(), 1, Integer::sum);
          wanted--;
          coresLeft -= cores;
          progress = true;
        }
      }
    }
    return placed;
  }
}
