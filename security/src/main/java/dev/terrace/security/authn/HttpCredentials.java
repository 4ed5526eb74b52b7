package dev.terrace.security.authn;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Reading and writing an {@code Authorization} header: {@code Basic base64(principal:secret)}
 * (RFC 7617, Mesos' HTTP authentication) or {@code Bearer <token>}, where the token is a
 * principal's secret.
 */
public final class HttpCredentials {
  private HttpCredentials() {}

  /** The header value for HTTP Basic. */
  public static String basic(String principal, String secret) {
    if (principal.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a principal cannot contain ':' under HTTP Basic");
    }
    return "Basic " + Base64.getEncoder()
        .encodeToString((principal + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The authenticated principal for an {@code Authorization} header, or empty when the header is
   * missing, malformed, of another scheme, or names wrong credentials.
   */
  public static Optional<String> authenticate(String header, Credentials credentials) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.trim();
    int space = h.indexOf(' ');
    if (space < 0) {
      return Optional.empty();
    }
    String scheme = h.substring(0, space);
    String value = h.substring(space + 1).trim();
    if (scheme.equalsIgnoreCase("Basic")) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0) {
        return Optional.empty();
      }
      String principal = decoded.substring(0, colon);
      return credentials.verify(principal, decoded.substring(colon + 1))
          ? Optional.of(principal) : Optional.empty();
    }
    if (scheme.equalsIgnoreCase("Bearer") && !value.isEmpty()) {
      return credentials.principalForToken(value);
    }
    return Optional.empty();
  }
}
