package dev.terrace.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/** A user name and password for one registry (basic auth, or to obtain a bearer token). */
public record RegistryCredentials(String username, String password) {
  public RegistryCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /** The value of a basic {@code Authorization} header. */
  public String basicHeader() {
    return "Basic " + Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads the {@code auths} of a Docker client {@code config.json} ({@code "host": {"auth":
   * base64(user:pass)}} or {@code username}/{@code password}), keyed by registry host as
   * {@link ImageReference#registry()} spells it. Credential helpers are not supported.
   */
  public static Map<String, RegistryCredentials> fromDockerConfig(Path file) throws IOException {
    JsonNode auths = new ObjectMapper().readTree(file.toFile()).path("auths");
    Map<String, RegistryCredentials> out = new HashMap<>();
    auths.fields().forEachRemaining(e -> {
      RegistryCredentials c = fromEntry(e.getValue());
      if (c != null) {
        out.put(hostOf(e.getKey()), c);
      }
    });
    return out;
  }

  private static RegistryCredentials fromEntry(JsonNode entry) {
    String auth = entry.path("auth").asText("");
    if (!auth.isEmpty()) {
      String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null
          : new RegistryCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
    if (entry.hasNonNull("username") && entry.hasNonNull("password")) {
      return new RegistryCredentials(entry.get("username").asText(),
          entry.get("password").asText());
    }
    return null;
  }

  /** Docker writes keys such as {@code https://index.docker.io/v1/}; keep the host only. */
  static String hostOf(String key) {
    String host = key.replaceFirst("^[a-z]+://", "");
    int slash = host.indexOf('/');
    host = slash >= 0 ? host.substring(0, slash) : host;
    return host.equals("index.docker.io") || host.equals(ImageReference.DOCKER_HUB_API_HOST)
        ? ImageReference.DOCKER_HUB : host;
  }

  @Override
  public String toString() {
    return "RegistryCredentials[" + username + ", password hidden]";
  }
}
