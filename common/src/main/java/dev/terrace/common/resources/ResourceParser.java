package dev.terrace.common.resources;

import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses Mesos' flag text for resources and attributes: {@code cpus:4;mem:2048;ports:[31000-32000]}
 * (a {@code name(role):value} entry reserves statically), and {@code rack:r1;zone:a}.
 */
public final class ResourceParser {
  private ResourceParser() {}

  public static List<Resource> parseResources(String text) {
    List<Resource> out = new ArrayList<>();
    for (String entry : split(text)) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("resource '" + entry + "' is not name:value");
      }
      String name = entry.substring(0, colon).trim();
      String value = entry.substring(colon + 1).trim();
      String role = null;
      int paren = name.indexOf('(');
      if (paren > 0 && name.endsWith(")")) {
        role = name.substring(paren + 1, name.length() - 1);
        name = name.substring(0, paren);
      }
      Resource r;
      if (value.startsWith("[")) {
        r = Resource.ranges(name, parseRanges(value, entry));
      } else if (value.startsWith("{")) {
        r = Resource.set(name, parseSet(value, entry));
      } else {
        r = Resource.scalar(name, parseNumber(value, entry));
      }
      if (role != null && !role.equals("*")) {
        r = new Resource(r.name(), r.type(), r.scalar(), r.ranges(), r.set(), null, null,
            List.of(new dev.terrace.common.model.ReservationInfo(
                dev.terrace.common.model.ReservationInfo.Type.STATIC, role, null, null)), null);
      }
      out.add(r);
    }
    return out;
  }

  public static List<Attribute> parseAttributes(String text) {
    List<Attribute> out = new ArrayList<>();
    for (String entry : split(text)) {
      int colon = entry.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("attribute '" + entry + "' is not name:value");
      }
      String name = entry.substring(0, colon).trim();
      String value = entry.substring(colon + 1).trim();
      if (value.startsWith("[")) {
        out.add(new Attribute(name, Value.Type.RANGES, null,
            new Value.Ranges(parseRanges(value, entry)), null, null));
      } else if (value.startsWith("{")) {
        out.add(new Attribute(name, Value.Type.SET, null, null, new Value.ValueSet(parseSet(value, entry)), null));
      } else if (value.matches("-?\\d+(\\.\\d+)?")) {
        out.add(Attribute.scalar(name, Double.parseDouble(value)));
      } else {
        out.add(Attribute.text(name, value));
      }
    }
    return out;
  }

  private static List<String> split(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    return Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static double parseNumber(String value, String entry) {
    try {
      double d = Double.parseDouble(value);
      if (d < 0 || Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("resource '" + entry + "' has no valid number");
    }
  }

  private static List<Value.Range> parseRanges(String value, String entry) {
    if (!value.endsWith("]")) {
      throw new IllegalArgumentException("ranges in '" + entry + "' must look like [a-b, c-d]");
    }
    List<Value.Range> ranges = new ArrayList<>();
    for (String part : value.substring(1, value.length() - 1).split(",")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      String[] ends = p.split("-");
      if (ends.length > 2) {
        throw new IllegalArgumentException("range '" + p + "' in '" + entry + "' is not a-b");
      }
      try {
        long begin = Long.parseLong(ends[0].trim());
        long end = ends.length > 1 ? Long.parseLong(ends[1].trim()) : begin;
        ranges.add(new Value.Range(begin, end));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("range '" + p + "' in '" + entry + "' is not a-b");
      }
    }
    return ranges;
  }

  private static List<String> parseSet(String value, String entry) {
    if (!value.endsWith("}")) {
      throw new IllegalArgumentException("set in '" + entry + "' must look like {a, b}");
    }
    String inner = value.substring(1, value.length() - 1);
    return Arrays.stream(inner.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
