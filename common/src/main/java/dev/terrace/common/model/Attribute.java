package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Mesos `Attribute`: a host property used in placement constraints (rack, zone, ...). */
public record Attribute(
    String name,
    Value.Type type,
    Value.Scalar scalar,
    Value.Ranges ranges,
    @JsonProperty("set") Value.ValueSet set,
    Value.Text text) {

  public static Attribute text(String name, String value) {
    return new Attribute(name, Value.Type.TEXT, null, null, null, new Value.Text(value));
  }

  public static Attribute scalar(String name, double value) {
    return new Attribute(name, Value.Type.SCALAR, new Value.Scalar(value), null, null, null);
  }

  /** The value as an operator would write it after {@code name:}. */
  public String valueString() {
    return switch (type) {
      case TEXT -> text == null ? "" : text.value();
      case SCALAR -> scalar == null ? "" : stripZero(scalar.value());
      case RANGES -> ranges == null ? "" : ranges.range().stream()
          .map(r -> "[" + r.begin() + "-" + r.end() + "]").reduce((a, b) -> a + "," + b).orElse("");
      case SET -> set == null ? "" : "{" + String.join(",", set.item()) + "}";
    };
  }

  private static String stripZero(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
