package dev.terrace.sdk.placement;

import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A placement constraint on an agent field: {@code hostname} or one of the agent's attributes.
 * {@code LIKE}/{@code UNLIKE} match the value against a regular expression (a missing attribute is
 * not like anything); {@code UNIQUE} puts the instances of one run on distinct values;
 * {@code CLUSTER} puts them all on one value (the given one, or else whichever the first gets).
 */
public record Constraint(String field, Operator operator, String value) {
  public enum Operator { LIKE, UNLIKE, UNIQUE, CLUSTER }

  /** Parses {@code field:OPERATOR[:value]} as the CLI takes it. */
  public static Constraint parse(String text) {
    String[] parts = text.split(":", 3);
    if (parts.length < 2 || parts[0].isBlank()) {
      throw new IllegalArgumentException("constraint '" + text + "' must be field:OPERATOR[:value]");
    }
    Operator op;
    try {
      op = Operator.valueOf(parts[1].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("constraint '" + text + "': operator must be LIKE, UNLIKE, UNIQUE or CLUSTER");
    }
    return new Constraint(parts[0], op, parts.length > 2 ? parts[2] : null);
  }

  /** What is wrong with this constraint, or null. */
  public String problem() {
    if (field == null || field.isBlank()) {
      return "a constraint needs a field (hostname or an attribute name)";
    }
    if (operator == null) {
      return "constraint on " + field + " needs an operator: LIKE, UNLIKE, UNIQUE or CLUSTER";
    }
    if (operator == Operator.LIKE || operator == Operator.UNLIKE) {
      if (value == null) {
        return "constraint " + field + " " + operator + " needs a regular expression";
      }
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        return "constraint " + field + " " + operator + ": bad regular expression: " + e.getDescription();
      }
    }
    if (operator == Operator.UNIQUE && value != null) {
      return "constraint " + field + " UNIQUE takes no value";
    }
    return null;
  }

  @Override
  public String toString() {
    return field + ":" + operator + (value == null ? "" : ":" + value);
  }
}
