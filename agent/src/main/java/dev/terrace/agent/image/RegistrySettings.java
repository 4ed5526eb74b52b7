package dev.terrace.agent.image;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How the agent talks to registries.
 *
 * @param insecureRegistries {@code host[:port]} entries reached over plain HTTP; loopback hosts are
 *     always reached over plain HTTP, as Docker does
 * @param credentials per registry host (as in {@link ImageReference#registry()})
 * @param parallelDownloads how many layers one agent downloads at once
 * @param attempts tries per request or blob before a pull fails (transient errors only)
 * @param initialBackoff wait before the second try; doubles with each further try
 */
public record RegistrySettings(
    Set<String> insecureRegistries,
    Map<String, RegistryCredentials> credentials,
    int parallelDownloads,
    int attempts,
    Duration initialBackoff) {

  public RegistrySettings {
    insecureRegistries = Set.copyOf(insecureRegistries);
    credentials = Map.copyOf(credentials);
    if (parallelDownloads < 1 || attempts < 1) {
      throw new IllegalArgumentException("parallelDownloads and attempts must be positive");
    }
  }

  /** No insecure registries beyond loopback, no credentials, 3 parallel layers, 4 tries. */
  public static RegistrySettings defaults() {
    return new RegistrySettings(Set.of(), Map.of(), 3, 4, Duration.ofMillis(200));
  }

  public RegistrySettings withInsecureRegistries(Set<String> hosts) {
    return new RegistrySettings(hosts, credentials, parallelDownloads, attempts, initialBackoff);
  }

  public RegistrySettings withCredentials(Map<String, RegistryCredentials> creds) {
    return new RegistrySettings(insecureRegistries, creds, parallelDownloads, attempts,
        initialBackoff);
  }

  /** Whether {@code registry} (host[:port]) is reached over plain HTTP. */
  public boolean plainHttp(String registry) {
    if (insecureRegistries.contains(registry)) {
      return true;
    }
    String host = registry.startsWith("[")
        ? registry.substring(1, registry.indexOf(']'))
        : registry.replaceFirst(":[0-9]+$", "");
    if (host.equals("localhost")) {
      return true;
    }
    // Only literal addresses: a name is never resolved here (no DNS lookup to pick a scheme).
    if (host.matches("[0-9.]+") || host.contains(":")) {
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    return false;
  }
}
