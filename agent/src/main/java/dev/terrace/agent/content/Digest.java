package dev.terrace.agent.content;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code sha256:<64 hex>}. Only sha256 is accepted: it is what every registry
 * and image builder uses, and a strict hex check here is what keeps a digest from a manifest (an
 * untrusted input) from ever naming a path outside the content store.
 */
public record Digest(String hex) {
  public static final String ALGORITHM = "sha256";
  private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

  public Digest {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a sha256 hex digest: " + hex);
    }
  }

  /** Parses {@code sha256:<hex>}; throws IllegalArgumentException for anything else. */
  public static Digest parse(String text) {
    if (text == null || !text.startsWith(ALGORITHM + ":")) {
      throw new IllegalArgumentException("unsupported digest (only sha256 is): " + text);
    }
    return new Digest(text.substring(ALGORITHM.length() + 1));
  }

  /** The digest of {@code bytes}. */
  public static Digest of(byte[] bytes) {
    return new Digest(HexFormat.of().formatHex(newSha256().digest(bytes)));
  }

  /** The digest a finished {@link MessageDigest} from {@link #newSha256()} computed. */
  public static Digest of(MessageDigest finished) {
    return new Digest(HexFormat.of().formatHex(finished.digest()));
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  /** A short form for logs and directory names: the first 12 hex digits. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return ALGORITHM + ":" + hex;
  }
}
