package dev.terrace.agent.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrace.security.authn.HttpCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The principal and secret an agent authenticates to the master with. Read from Mesos' agent
 * {@code --credential} file: {@code {"principal": "...", "secret": "..."}}.
 */
public record AgentCredential(String principal, String secret) {
  public AgentCredential {
    if (principal == null || principal.isEmpty() || secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("a credential needs a non-empty principal and secret");
    }
  }

  public static AgentCredential read(Path file) throws IOException {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IOException("Cannot read credential file " + file + ": " + e.getMessage(), e);
    }
    if (n == null || !n.path("principal").isTextual() || !n.path("secret").isTextual()) {
      throw new IOException("Credential file " + file + " must hold {\"principal\": \"...\", \"secret\": \"...\"}");
    }
    return new AgentCredential(n.path("principal").asText(), n.path("secret").asText());
  }

  /** The {@code Authorization} header value. */
  public String header() {
    return HttpCredentials.basic(principal, secret);
  }

  @Override
  public String toString() {
    return "AgentCredential[" + principal + "]"; // never the secret, in logs or exceptions
  }
}
