package dev.terrace.master.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.terrace.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON of registry entries: the wire format's configuration ({@link Json}) plus instants,
 * written as Mesos writes times ({@code {"nanoseconds": n}}, as {@code TimeInfo}) so that the
 * stored data reads like the rest of the API and keeps full precision.
 */
final class RegistryJson {
  private static final ObjectMapper MAPPER =
      Json.mapper()
          .copy()
          .registerModule(
              new SimpleModule("registry-instants")
                  .addSerializer(Instant.class, new InstantSerializer())
                  .addDeserializer(Instant.class, new InstantDeserializer()));

  private RegistryJson() {}

  static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses an entry; a failure names {@code where}, since a corrupt entry must stop recovery. */
  static <T> T parse(byte[] json, Class<T> type, String where) {
    try {
      T value = MAPPER.readValue(json, type);
      if (value == null) {
        throw new RegistryException("registry entry " + where + " is null");
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof RegistryException re) {
        throw re;
      }
      throw new RegistryException("cannot read registry entry " + where + ": " + e.getMessage(), e);
    }
  }

  private static final class InstantSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      gen.writeNumberField(
          "nanoseconds",
          Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000_000L), value.getNano()));
      gen.writeEndObject();
    }
  }

  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      // Through the context: p.readValueAsTree() would apply FAIL_ON_TRAILING_TOKENS mid-document.
      JsonNode node = ctxt.readTree(p);
      JsonNode nanos = node == null ? null : node.get("nanoseconds");
      if (nanos == null || !nanos.canConvertToLong()) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      long n = nanos.asLong();
      return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }
  }
}
