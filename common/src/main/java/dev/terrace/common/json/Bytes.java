package dev.terrace.common.json;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * An immutable protobuf {@code bytes} value. Mesos' JSON mapping writes bytes as base64, so that is
 * this type's JSON form. Unlike a bare {@code byte[]} it has value equality, which status update
 * uuids need (they are compared when acknowledgements come back).
 */
public final class Bytes {
  private final byte[] data;

  private Bytes(byte[] data) {
    this.data = data;
  }

  public static Bytes of(byte[] data) {
    return new Bytes(data.clone());
  }

  public static Bytes utf8(String text) {
    return new Bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A random version-4 UUID in its 16-byte binary form, as Mesos puts in status updates. */
  public static Bytes randomUuid() {
    UUID uuid = UUID.randomUUID();
    byte[] out = new byte[16];
    long hi = uuid.getMostSignificantBits();
    long lo = uuid.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (hi >>> (56 - 8 * i));
      out[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return new Bytes(out);
  }

  @JsonCreator
  public static Bytes fromBase64(String base64) {
    try {
      return new Bytes(Base64.getDecoder().decode(base64));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not valid base64: " + e.getMessage(), e);
    }
  }

  @JsonValue
  public String base64() {
    return Base64.getEncoder().encodeToString(data);
  }

  public byte[] toArray() {
    return data.clone();
  }

  public int size() {
    return data.length;
  }

  public String hex() {
    return HexFormat.of().formatHex(data);
  }

  public String utf8String() {
    return new String(data, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return hex();
  }
}
