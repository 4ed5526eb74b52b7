package dev.terrace.master.allocator;

import dev.terrace.common.model.Attribute;
import java.util.List;
import java.util.Map;

/**
 * A condition on an agent's attributes that a framework sets to be offered only matching agents.
 * Values compare as the operator writes them ({@link Attribute#valueString()}).
 */
public record OfferConstraint(String attribute, Op op, List<String> values) {
  public enum Op {
    /** The attribute exists and equals the single value. */
    EQUALS,
    /** The attribute is missing or differs from the single value. */
    NOT_EQUALS,
    /** The attribute exists and is one of the values. */
    IN,
    /** The attribute is missing or none of the values. */
    NOT_IN,
    EXISTS,
    NOT_EXISTS
  }

  public OfferConstraint {
    values = values == null ? List.of() : List.copyOf(values);
  }

  public static OfferConstraint equal(String attribute, String value) {
    return new OfferConstraint(attribute, Op.EQUALS, List.of(value));
  }

  public static OfferConstraint in(String attribute, String... values) {
    return new OfferConstraint(attribute, Op.IN, List.of(values));
  }

  /** True when an agent with {@code attributes} (name to value string) satisfies this. */
  public boolean test(Map<String, String> attributes) {
    String v = attributes.get(attribute);
    return switch (op) {
      case EQUALS -> v != null && values.contains(v) && values.size() == 1;
      case NOT_EQUALS -> v == null || !values.contains(v);
      case IN -> v != null && values.contains(v);
      case NOT_IN -> v == null || !values.contains(v);
      case EXISTS -> v != null;
      case NOT_EXISTS -> v == null;
    };
  }

  @Override
  public String toString() {
    return attribute + " " + op + " " + values;
  }
}
