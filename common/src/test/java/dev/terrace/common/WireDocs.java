package dev.terrace.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;

/** Test helpers: load the hand-written Mesos documents and compare JSON trees. */
public final class WireDocs {
  private WireDocs() {}

  /** The bytes of {@code src/test/resources/mesos/NAME}. */
  public static byte[] load(String name) {
    try (InputStream in = WireDocs.class.getResourceAsStream("/mesos/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource mesos/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode tree(byte[] json) {
    try {
      return Json.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Numbers compare by value: protobuf's JSON writes {@code 2} and {@code 2.0} for the same double,
   * and Jackson's tree keeps them as different node types.
   */
  private static final Comparator<JsonNode> NUMERIC_BY_VALUE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  /** Asserts two JSON trees are equal, numbers by value, with a readable diff on failure. */
  public static void assertSameJson(JsonNode actual, JsonNode expected) {
    assertThat(actual.equals(NUMERIC_BY_VALUE, expected))
        .as("JSON trees differ%n expected: %s%n   actual: %s", expected, actual)
        .isTrue();
  }

  /** Parses {@code name} as {@code type}, serializes it back and checks the trees match. */
  public static <T> T roundTrip(String name, Class<T> type) {
    byte[] doc = load(name);
    T value = Json.parse(doc, type);
    assertSameJson(Json.toTree(value), tree(doc));
    // And parsing what we wrote gives the same value again.
    assertThat(Json.parse(Json.toBytes(value), type)).isEqualTo(value);
    return value;
  }
}
