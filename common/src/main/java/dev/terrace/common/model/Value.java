package dev.terrace.common.model;

import java.util.List;

/** Mesos `Value` and its kinds, shared by resources and attributes. */
public final class Value {
  private Value() {}

  public enum Type {
    SCALAR,
    RANGES,
    SET,
    TEXT
  }

  public record Scalar(double value) {}

  public record Range(long begin, long end) {
    public Range {
      if (end < begin) {
        throw new IllegalArgumentException("range end " + end + " is below its begin " + begin);
      }
    }
  }

  public record Ranges(List<Range> range) {
    public Ranges {
      range = range == null ? List.of() : List.copyOf(range);
    }
  }

  /** Mesos `Value.Set`; named so it does not shadow {@link java.util.Set}. */
  public record ValueSet(List<String> item) {
    public ValueSet {
      item = item == null ? List.of() : List.copyOf(item);
    }
  }

  public record Text(String value) {}
}
