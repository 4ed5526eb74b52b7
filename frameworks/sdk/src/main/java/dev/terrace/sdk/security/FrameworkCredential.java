package dev.terrace.sdk.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A framework's principal and secret, sent with every scheduler call as HTTP Basic (the master's
 * {@code --authenticate-frameworks}). The principal must also be the {@code FrameworkInfo}'s.
 */
public record FrameworkCredential(String principal, String secret) {
  public FrameworkCredential {
    if (principal == null || principal.isEmpty() || principal.indexOf(':') >= 0) {
      throw new IllegalArgumentException("a principal must be non-empty and free of ':'");
    }
    if (secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a secret must be non-empty");
    }
  }

  public String authorizationHeader() {
    return "Basic " + Base64.getEncoder()
        .encodeToString((principal + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "FrameworkCredential[" + principal + "]"; // never the secret
  }
}
