package dev.terrace.cli.security;

import dev.terrace.sdk.security.FrameworkCredential;
import dev.terrace.sdk.security.PemTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.nio.file.Path;

/**
 * What the client commands ({@code run}, {@code ps}, {@code logs}, {@code exec}) present to a
 * secured cluster, from the environment (never from flags, which other users can read in
 * {@code ps}): {@code TERRACE_PRINCIPAL} and {@code TERRACE_SECRET} as HTTP Basic, and
 * {@code TERRACE_CA} (PEM) as the only certificates trusted for https.
 */
public final class ClientCredentials {
  private ClientCredentials() {}

  /** The credential from the environment, or null when none is set. */
  public static FrameworkCredential fromEnvironment() {
    String principal = System.getenv("TERRACE_PRINCIPAL");
    String secret = System.getenv("TERRACE_SECRET");
    if (principal == null || principal.isEmpty() || secret == null) {
      return null;
    }
    return new FrameworkCredential(principal, secret);
  }

  public static HttpRequest.Builder authorize(HttpRequest.Builder request) {
    FrameworkCredential c = fromEnvironment();
    return c == null ? request : request.header("Authorization", c.authorizationHeader());
  }

  public static WebSocket.Builder authorize(WebSocket.Builder ws) {
    FrameworkCredential c = fromEnvironment();
    return c == null ? ws : ws.header("Authorization", c.authorizationHeader());
  }

  /** {@code TERRACE_CA} as a path, or null. */
  public static Path trustedCa() {
    String ca = System.getenv("TERRACE_CA");
    return ca == null || ca.isEmpty() ? null : Path.of(ca);
  }

  /** Trusts only {@code TERRACE_CA} when it is set. */
  public static HttpClient.Builder trust(HttpClient.Builder http) {
    Path ca = trustedCa();
    if (ca == null) {
      return http;
    }
    try {
      return http.sslContext(PemTrust.sslContext(ca));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An agent's base URL: https when {@code TERRACE_CA} is set (a cluster with TLS has it on its
   * agents too, as Mesos' SSL is cluster-wide), else http.
   */
  public static java.net.URI agentUri(String host, int port) {
    return java.net.URI.create((trustedCa() != null ? "https://" : "http://") + host + ":" + port);
  }
}
