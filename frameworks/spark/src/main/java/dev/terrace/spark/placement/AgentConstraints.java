package dev.terrace.spark.placement;

import dev.terrace.common.model.Attribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which agents may run executors, from {@code spark.terrace.constraints}: the format of Spark's
 * {@code spark.mesos.constraints}, {@code name:value[,value...][;name:value...]}. An agent matches
 * when it has every named attribute with one of the listed values; a name without values asks
 * only that the attribute exists. Text attributes compare as text, scalars as numbers, sets match
 * when they contain the value, ranges when the number falls in one.
 */
public final class AgentConstraints {
  private final Map<String, List<String>> wanted;

  private AgentConstraints(Map<String, List<String>> wanted) {
    this.wanted = wanted;
  }

  public static AgentConstraints none() {
    return new AgentConstraints(Map.of());
  }

  /** Parses the constraint text; blank means no constraint. */
  public static AgentConstraints parse(String text) {
    Map<String, List<String>> wanted = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return new AgentConstraints(wanted);
    }
    for (String clause : text.split(";")) {
      String c = clause.trim();
      if (c.isEmpty()) {
        continue;
      }
      int colon = c.indexOf(':');
      String name = (colon < 0 ? c : c.substring(0, colon)).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("invalid constraint '" + c + "' in '" + text
            + "': expected name:value[,value...]");
      }
      List<String> values = new ArrayList<>();
      if (colon >= 0) {
        for (String v : c.substring(colon + 1).split(",")) {
          if (!v.isBlank()) {
            values.add(v.trim());
          }
        }
      }
      wanted.put(name, values);
    }
    return new AgentConstraints(wanted);
  }

  public boolean isEmpty() {
    return wanted.isEmpty();
  }

  public boolean matches(List<Attribute> attributes) {
    for (Map.Entry<String, List<String>> w : wanted.entrySet()) {
      Attribute a = attributes.stream().filter(x -> x.name().equals(w.getKey())).findFirst().orElse(null);
      if (a == null) {
        return false;
      }
      if (!w.getValue().isEmpty() && w.getValue().stream().noneMatch(v -> holds(a, v))) {
        return false;
      }
    }
    return true;
  }

  private static boolean holds(Attribute a, String value) {
    return switch (a.type()) {
      case TEXT -> a.text() != null && a.text().value().equals(value);
      case SCALAR -> a.scalar() != null && number(value) != null && a.scalar().value() == number(value);
      case SET -> a.set() != null && Set.copyOf(a.set().item()).contains(value);
      case RANGES -> a.ranges() != null && number(value) != null && a.ranges().range().stream()
          .anyMatch(r -> r.begin() <= number(value) && number(value) <= r.end());
    };
  }

  private static Double number(String value) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return wanted.toString();
  }
}
