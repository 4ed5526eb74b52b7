package dev.terrace.jobs.scheduling;

import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.Offer;
import dev.terrace.common.resources.Resources;
import dev.terrace.jobs.spec.Constraint;
import dev.terrace.jobs.spec.JobSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    if (!role.equals(spec.role())) {
      return "offered to role " + role + ", the job runs as " + spec.role();
    }
    List<String> short_ = new ArrayList<>();
    need(short_, "cpus", spec.cpus(), left.scalar("cpus"));
    need(short_, "mem", spec.mem(), left.scalar("mem"));
    need(short_, "disk", spec.disk(), left.scalar("disk"));
    need(short_, "gpus", spec.gpus(), left.scalar("gpus"));
    if (!short_.isEmpty()) {
      return "not enough " + String.join(", ", short_);
    }
    Map<String, String> here = fields(offer);
    for (Constraint c : spec.constraints()) {
      String why = unmet(c, here.get(c.field()), siblings);
      if (why != null) {
        return "constraint " + c + " unmet: " + why;
      }
    }
    return null;
  }

  private static void need(List<String> out, String name, double want, double have) {
    if (want > 0 && have + 1e-9 < want) {
      out.add(name + " (needs " + fmt(want) + ", offer has " + fmt(have) + ")");
    }
  }

  private static String unmet(Constraint c, String value, List<Map<String, String>> siblings) {
    switch (c.operator()) {
      case LIKE -> {
        if (value == null) {
          return "agent has no " + c.field();
        }
        return Pattern.matches(c.value(), value) ? null : c.field() + " is " + value;
      }
      case UNLIKE -> {
        return value != null && Pattern.matches(c.value(), value) ? c.field() + " is " + value : null;
      }
      case UNIQUE -> {
        if (value == null) {
          return "agent has no " + c.field();
        }
        return siblings.stream().anyMatch(s -> value.equals(s.get(c.field())))
            ? "another instance runs on " + c.field() + "=" + value : null;
      }
      case CLUSTER -> {
        if (value == null) {
          return "agent has no " + c.field();
        }
        String target = c.value() != null && !c.value().isEmpty() ? c.value()
            : siblings.stream().map(s -> s.get(c.field())).filter(v -> v != null).findFirst().orElse(value);
        return value.equals(target) ? null : c.field() + " is " + value + ", the run is on " + target;
      }
      default -> throw new IllegalStateException(c.operator().name());
    }
  }

  /** The values constraints look at: {@code hostname} and every attribute. */
  static Map<String, String> fields(Offer offer) {
    Map<String, String> f = new HashMap<>();
    for (Attribute a : offer.attributes()) {
      f.put(a.name(), a.valueString());
    }
    f.put("hostname", offer.hostname());
    return f;
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.2f", v);
  }
}
