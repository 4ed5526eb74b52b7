package dev.terrace.security.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Principals and their secrets, in Mesos' credentials format:
 * {@code {"credentials": [{"principal": "...", "secret": "..."}]}}. Secrets are kept only as
 * SHA-256 digests and compared with {@link MessageDigest#isEqual}, so neither the comparison's
 * time nor the secrets' lengths tell an attacker how close a guess came.
 */
public final class Credentials {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Credentials NONE = new Credentials(Map.of());

  private final Map<String, byte[]> digests;

  private Credentials(Map<String, byte[]> digests) {
    this.digests = digests;
  }

  public static Credentials none() {
    return NONE;
  }

  public static Credentials of(Map<String, String> secrets) {
    Map<String, byte[]> d = new LinkedHashMap<>();
    secrets.forEach((p, s) -> d.put(p, digest(s)));
    return new Credentials(Map.copyOf(d));
  }

  /**
   * Parses Mesos' JSON. Throws {@link IllegalArgumentException} naming the problem for anything
   * else (not JSON, no "credentials" array, an entry without principal or secret, a principal
   * given twice): a half-read credentials file must never be used.
   */
  public static Credentials parse(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("credentials are not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.path("credentials").isArray()) {
      throw new IllegalArgumentException("expecting {\"credentials\": [{\"principal\": ..., \"secret\": ...}]}");
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    int i = 0;
    for (JsonNode c : root.path("credentials")) {
      JsonNode principal = c.path("principal");
      JsonNode secret = c.path("secret");
      if (!principal.isTextual() || principal.asText().isEmpty() || !secret.isTextual()
          || secret.asText().isEmpty()) {
        throw new IllegalArgumentException("credential #" + i + " needs a non-empty string 'principal' and 'secret'");
      }
      if (secrets.put(principal.asText(), secret.asText()) != null) {
        throw new IllegalArgumentException("principal '" + principal.asText() + "' is given twice");
      }
      i++;
    }
    return of(secrets);
  }

  /** True when {@code principal} exists and {@code secret} is its secret. */
  public boolean verify(String principal, String secret) {
    byte[] expected = digests.get(principal);
    // Digest the guess even for an unknown principal, so that both cases take the same time.
    byte[] given = digest(secret);
    return expected != null && MessageDigest.isEqual(expected, given);
  }

  /**
   * The principal whose secret is {@code token} (a bearer token is a secret on its own). Every
   * principal is compared, whatever matched first, so timing does not reveal which one it is.
   */
  public Optional<String> principalForToken(String token) {
    byte[] given = digest(token);
    String found = null;
    for (Map.Entry<String, byte[]> e : digests.entrySet()) {
      if (MessageDigest.isEqual(e.getValue(), given) && found == null) {
        found = e.getKey();
      }
    }
    return Optional.ofNullable(found);
  }

  public Set<String> principals() {
    return digests.keySet();
  }

  public boolean isEmpty() {
    return digests.isEmpty();
  }

  private static byte[] digest(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
