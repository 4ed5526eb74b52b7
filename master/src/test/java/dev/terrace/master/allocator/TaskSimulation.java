package dev.terrace.master.allocator;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Frameworks as the allocator sees them in a steady state: each launches one task of its fixed
 * size from every offer it can fit it in and declines the rest (refuse_seconds 0). Tasks never
 * end, so repeated cycles fill the cluster the way DRF's progressive filling does.
 */
final class TaskSimulation {
  private final Allocator allocator;
  private final Map<FrameworkId, Resources> taskSize = new HashMap<>();
  private final Map<FrameworkId, Integer> tasks = new HashMap<>();

  TaskSimulation(Allocator allocator) {
    this.allocator = allocator;
  }

  TaskSimulation framework(FrameworkId id, Resources task) {
    taskSize.put(id, task);
    tasks.put(id, 0);
    return this;
  }

  /** One cycle; returns how many tasks were launched. */
  int cycle(Instant now) {
    int launched = 0;
    List<OfferDecision> offers = allocator.allocate(now);
    for (OfferDecision d : offers) {
      Resources task = taskSize.get(d.framework());
      Resources back = d.resources();
      if (task != null && d.resources().contains(task)) {
        tasks.merge(d.framework(), 1, Integer::sum);
        back = d.resources().minus(task);
        launched++;
      }
      allocator.recoverResources(d.framework(), d.agent(), back, 0, now);
    }
    return launched;
  }

  /** Cycles until nobody can launch anything more (at most {@code maxCycles}). */
  void runToCompletion(Instant now, int maxCycles) {
    for (int i = 0; i < maxCycles; i++) {
      if (cycle(now) == 0) {
        return;
      }
    }
    throw new AssertionError("still launching after " + maxCycles + " cycles");
  }

  int tasks(FrameworkId id) {
    return tasks.get(id);
  }

  /** The framework's dominant share of {@code total} from the tasks it runs. */
  double dominantShare(FrameworkId id, Resources total) {
    Resources task = taskSize.get(id);
    int n = tasks(id);
    double share = 0;
    for (String name : List.of("cpus", "mem", "disk", "gpus")) {
      double t = total.scalar(name);
      if (t > 0) {
        share = Math.max(share, n * task.scalar(name) / t);
      }
    }
    return share;
  }
}
