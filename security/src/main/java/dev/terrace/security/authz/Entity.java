package dev.terrace.security.authz;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One side of an ACL rule in Mesos' shape: {@code {"values": [...]}} (some), {@code {"type":
 * "ANY"}} or {@code {"type": "NONE"}}. A NONE entity matches every request and denies it, so a
 * rule {@code principals: {values: [a]}, roles: {type: NONE}} forbids {@code a} every role.
 */
record Entity(Type type, Set<String> values) {
  enum Type { SOME, ANY, NONE }

  static final Entity ANY = new Entity(Type.ANY, Set.of());

  static Entity parse(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      throw new IllegalArgumentException(where + " is missing");
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be an object with 'values' or 'type'");
    }
    JsonNode values = node.path("values");
    JsonNode type = node.path("type");
    if (!values.isMissingNode()) {
      if (!values.isArray()) {
        throw new IllegalArgumentException(where + ".values must be an array of strings");
      }
      Set<String> out = new LinkedHashSet<>();
      for (JsonNode v : values) {
        if (!v.isTextual()) {
          throw new IllegalArgumentException(where + ".values must be an array of strings");
        }
        out.add(v.asText());
      }
      return new Entity(Type.SOME, Set.copyOf(out));
    }
    if (type.isTextual()) {
      return switch (type.asText()) {
        case "ANY" -> ANY;
        case "NONE" -> new Entity(Type.NONE, Set.of());
        default -> throw new IllegalArgumentException(where + ".type must be ANY or NONE, not " + type.asText());
      };
    }
    throw new IllegalArgumentException(where + " must have 'values' or 'type'");
  }

  /**
   * Whether this rule applies to {@code value}. A null value (an unauthenticated caller, or a
   * question about every object at once) is matched only by ANY and NONE.
   */
  boolean matches(String value) {
    return switch (type) {
      case ANY, NONE -> true;
      case SOME -> value != null && values.contains(value);
    };
  }

  boolean allows() {
    return type != Type.NONE;
  }
}
