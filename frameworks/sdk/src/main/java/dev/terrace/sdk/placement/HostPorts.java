package dev.terrace.sdk.placement;

import dev.terrace.common.model.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Picks a task's host ports from an offer's {@code ports} ranges. Pure. */
public final class HostPorts {
  private HostPorts() {}

  /**
   * Host ports for {@code wanted} (0 = any) from the offer's port ranges, avoiding {@code taken},
   * in ascending order; empty when the offer lacks them.
   */
  public static Optional<List<Integer>> pick(List<Integer> wanted, List<Value.Range> offered, Set<Integer> taken) {
    List<Integer> out = new ArrayList<>();
    Set<Integer> used = new HashSet<>(taken);
    for (Integer w : wanted) {
      if (w > 0) {
        if (used.contains(w) || offered.stream().noneMatch(r -> r.begin() <= w && w <= r.end())) {
          return Optional.empty();
        }
        used.add(w);
        out.add(w);
        continue;
      }
      Integer found = null;
      for (Value.Range r : offered) {
        for (long p = r.begin(); p <= r.end() && found == null; p++) {
          if (!used.contains((int) p) && !wanted.contains((int) p)) {
            found = (int) p;
          }
        }
      }
      if (found == null) {
        return Optional.empty();
      }
      used.add(found);
      out.add(found);
    }
    // Ascending, as the agent numbers PORT0, PORT1...: the task's ports, a health check's port
    // index and the task's environment then agree.
    out.sort(null);
    return Optional.of(out);
  }
}
