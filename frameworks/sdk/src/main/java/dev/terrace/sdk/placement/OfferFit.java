package dev.terrace.sdk.placement;

import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.Offer;
import dev.terrace.common.resources.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether one task fits what is left of an offer: its role, scalar resources and placement
 * constraints. A refusal is a sentence a user can act on ("not enough mem (needs 512, offer has
 * 256)", "constraint rack:LIKE:r1 unmet: rack is r2"), which frameworks show as "why pending".
 * Pure: no I/O.
 */
public final class OfferFit {
  private OfferFit() {}

  /**
   * Why a task of {@code role} needing {@code scalars} (name to amount) with {@code constraints}
   * cannot go on {@code offer} with {@code left} of it unused, or null when it can.
   * {@code siblings} are the constraint fields (see {@link #fields}) of the agents that the other
   * instances of the same group run on, for UNIQUE and CLUSTER.
   */
  public static String refusal(String role, Map<String, Double> scalars, List<Constraint> constraints,
      Offer offer, Resources left, List<Map<String, String>> siblings) {
    String offered = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    if (!offered.equals(role)) {
      return "offered to role " + offered + ", the task runs as " + role;
    }
    List<String> missing = new ArrayList<>();
    scalars.forEach((name, want) -> {
      double have = left.scalar(name);
      if (want > 0 && have + 1e-9 < want) {
        missing.add(name + " (needs " + fmt(want) + ", offer has " + fmt(have) + ")");
      }
    });
    if (!missing.isEmpty()) {
      return "not enough " + String.join(", ", missing);
    }
    Map<String, String> here = fields(offer);
    for (Constraint c : constraints) {
      String why = unmet(c, here.get(c.field()), siblings);
      if (why != null) {
        return "constraint " + c + " unmet: " + why;
      }
    }
    return null;
  }

  /** The values constraints look at: {@code hostname} and every attribute of the offer's agent. */
  public static Map<String, String> fields(Offer offer) {
    Map<String, String> f = new HashMap<>();
    for (Attribute a : offer.attributes()) {
      f.put(a.name(), a.valueString());
    }
    f.put("hostname", offer.hostname());
    return f;
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
        return value.equals(target) ? null : c.field() + " is " + value + ", the others are on " + target;
      }
      default -> throw new IllegalStateException(c.operator().name());
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.2f", v);
  }
}
