package dev.terrace.jobs.scheduling;

import dev.terrace.common.model.Offer;
import dev.terrace.common.resources.Resources;
import dev.terrace.jobs.spec.JobSpec;
import dev.terrace.sdk.placement.OfferFit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches pending attempts to offers, first come first served, and says for each attempt it could
 * not place why not, offer by offer (role, resources, constraints). Pure: no I/O, no clock.
 */
final class Placement {
  /** A pending attempt placed on an offer. */
  record Assignment(Demand demand, Offer offer) {}

  /** What one pass decided: the assignments, and for each unplaced attempt (by key) the reasons. */
  record Result(List<Assignment> assignments, Map<String, List<String>> refusals) {}

  private Placement() {}

  static Result place(List<Demand> demands, List<Offer> offers) {
    Map<Offer, Resources> left = new LinkedHashMap<>();
    offers.forEach(o -> left.put(o, Resources.of(o.resources())));
    List<Assignment> assignments = new ArrayList<>();
    Map<String, List<String>> refusals = new LinkedHashMap<>();
    // Values taken in this pass by each run (by job.run), so UNIQUE and CLUSTER see them too.
    Map<String, List<Map<String, String>>> placedThisPass = new HashMap<>();
    for (Demand d : demands) {
      String runKey = d.spec().name() + "." + d.run();
      List<Map<String, String>> siblings = new ArrayList<>(d.siblings());
      siblings.addAll(placedThisPass.getOrDefault(runKey, List.of()));
      List<String> reasons = new ArrayList<>();
      Offer chosen = null;
      for (Map.Entry<Offer, Resources> e : left.entrySet()) {
        String why = refusal(d.spec(), e.getKey(), e.getValue(), siblings);
        if (why == null) {
          chosen = e.getKey();
          break;
        }
        reasons.add(e.getKey().hostname() + ": " + why);
      }
      if (chosen == null) {
        refusals.put(d.key(), reasons.isEmpty() ? List.of("no offer from the master right now") : reasons);
        continue;
      }
      left.put(chosen, left.get(chosen).minus(Resources.of(TaskFactory.resources(d.spec(), "*"))));
      placedThisPass.computeIfAbsent(runKey, k -> new ArrayList<>()).add(fields(chosen));
      assignments.add(new Assignment(d, chosen));
    }
    return new Result(assignments, refusals);
  }

  /** Why {@code spec} cannot go on {@code offer} with {@code left} of it unused, or null if it can. */
  static String refusal(JobSpec spec, Offer offer, Resources left, List<Map<String, String>> siblings) {
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("cpus", spec.cpus());
    scalars.put("mem", spec.mem());
    scalars.put("disk", spec.disk());
    scalars.put("gpus", spec.gpus());
    return OfferFit.refusal(spec.role(), scalars, spec.constraints(), offer, left, siblings);
  }

  static Map<String, String> fields(Offer offer) {
    return OfferFit.fields(offer);
  }
}
