package dev.terrace.master.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Malformed versions of valid calls: truncated, with bytes flipped, and type-confused (a value
 * somewhere in the tree replaced by one of another JSON type, or by an extreme one).
 */
final class CallMutations {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private CallMutations() {}

  static byte[] truncate(byte[] valid, long seed) {
    if (valid.length == 0) {
      return valid;
    }
    return Arrays.copyOf(valid, new Random(seed).nextInt(valid.length));
  }

  static byte[] flipBytes(byte[] valid, long seed) {
    Random r = new Random(seed);
    byte[] out = valid.clone();
    for (int i = 0, n = 1 + r.nextInt(4); i < n && out.length > 0; i++) {
      out[r.nextInt(out.length)] = (byte) r.nextInt(256);
    }
    return out;
  }

  /** The JSON with one value, chosen by {@code seed}, replaced by a value of another kind. */
  static byte[] confuseTypes(String validJson, long seed) {
    try {
      JsonNode root = MAPPER.readTree(validJson);
      List<JsonNode> containers = new ArrayList<>();
      collect(root, containers);
      Random r = new Random(seed);
      JsonNode target = containers.get(r.nextInt(containers.size()));
      JsonNode replacement = replacement(r);
      if (target instanceof ObjectNode o && o.size() > 0) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        o.set(names.get(r.nextInt(names.size())), replacement);
      } else if (target instanceof ArrayNode a && a.size() > 0) {
        a.set(r.nextInt(a.size()), replacement);
      }
      return MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collect(JsonNode n, List<JsonNode> out) {
    if (n.isContainerNode()) {
      out.add(n);
      n.forEach(c -> collect(c, out));
    }
  }

  private static JsonNode replacement(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(r.nextBoolean());
      case 2 -> F.numberNode(r.nextLong());
      case 3 -> F.numberNode(-1);
      case 4 -> F.numberNode(1e308);
      case 5 -> F.textNode("");
      case 6 -> F.textNode("x".repeat(r.nextInt(10_000)));
      case 7 -> F.arrayNode().add(1).add("a").addNull();
      case 8 -> F.objectNode().put("value", "z");
      case 9 -> F.textNode("NOT_A_KNOWN_ENUM");
      case 10 -> F.numberNode(Double.NaN);
      default -> F.objectNode();
    };
  }
}
