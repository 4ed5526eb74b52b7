package dev.terrace.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrace.agent.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking client of the OCI distribution API v2 (the JDK's HttpClient; callers run it on
 * worker threads). It handles the anonymous or credentialed bearer-token flow a {@code 401}'s
 * {@code WWW-Authenticate} asks for, basic auth, plain HTTP for insecure and loopback registries,
 * and redirects of blob downloads to other hosts (without our credentials). Retrying is the
 * caller's choice ({@link Retry}); this class makes one logical request per call.
 */
public final class RegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Until the response headers arrive; a blob body then streams for as long as it takes. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  private static final int MAX_REDIRECTS = 5;
  /** Manifests are small; a huge one is an attack or a mistake. */
  private static final int MAX_MANIFEST_BYTES = 4 << 20;

  /** A fetched manifest or index with its verified digest. */
  public record ManifestResponse(byte[] bytes, String contentType, Digest digest) {}

  private final RegistrySettings settings;
  private final HttpClient http;
  /** Authorization header values (bearer or basic) by "registry scope". */
  private final Map<String, String> tokens = new ConcurrentHashMap<>();
  private final Map<Digest, AtomicLong> blobRequests = new ConcurrentHashMap<>();

  public RegistryClient(RegistrySettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder()
        .connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  public RegistrySettings settings() {
    return settings;
  }

  /** Blob GETs sent per digest, for metrics and for tests that check each blob is fetched once. */
  public long blobRequests(Digest digest) {
    AtomicLong n = blobRequests.get(digest);
    return n == null ? 0 : n.get();
  }

  /**
   * Fetches the manifest or index {@code ref} names (by digest when it has one), with the
   * {@code Accept} types of every manifest kind we understand, and verifies its digest.
   */
  public ManifestResponse manifest(ImageReference ref) throws IOException {
    URI uri = uri(ref, "/manifests/" + ref.manifestReference());
    HttpResponse<InputStream> r = get(ref, uri, String.join(", ", MediaTypes.MANIFEST_TYPES));
    byte[] bytes;
    try (InputStream in = r.body()) {
      bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
    }
    if (bytes.length > MAX_MANIFEST_BYTES) {
      throw new ManifestException("manifest of " + ref + " exceeds " + MAX_MANIFEST_BYTES
          + " bytes");
    }
    Digest actual = Digest.of(bytes);
    Digest expected = ref.digest();
    if (expected == null) {
      expected = r.headers().firstValue("Docker-Content-Digest")
          .filter(h -> h.startsWith(Digest.ALGORITHM + ":")).map(Digest::parse).orElse(null);
    }
    if (expected != null && !expected.equals(actual)) {
      throw new ManifestException("manifest of " + ref + " does not match its digest: expected "
          + expected + ", received " + actual);
    }
    return new ManifestResponse(bytes,
        r.headers().firstValue("Content-Type").orElse(null), actual);
  }

  /** Opens the stream of blob {@code digest} in {@code ref}'s repository; the caller verifies. */
  public InputStream blob(ImageReference ref, Digest digest) throws IOException {
    blobRequests.computeIfAbsent(digest, d -> new AtomicLong()).incrementAndGet();
    return get(ref, uri(ref, "/blobs/" + digest), "*/*").body();
  }

  private URI uri(ImageReference ref, String path) {
    String scheme = settings.plainHttp(ref.registry()) ? "http" : "https";
    return URI.create(scheme + "://" + ref.apiHost() + "/v2/" + ref.repository() + path);
  }

  /** A GET that authenticates on a 401, follows redirects, and fails on any other non-2xx. */
  private HttpResponse<InputStream> get(ImageReference ref, URI uri, String accept)
      throws IOException {
    String scope = "repository:" + ref.repository() + ":pull";
    String tokenKey = ref.registry() + " " + scope;
    URI current = uri;
    boolean authenticated = false;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      boolean sameHost = current.getAuthority().equals(uri.getAuthority());
      // Credentials never follow a redirect to another host (a CDN with a signed URL).
      HttpResponse<InputStream> r = send(current, accept, sameHost ? tokens.get(tokenKey) : null);
      int status = r.statusCode();
      if (status == 401 && sameHost && !authenticated) {
        String header = r.headers().firstValue("WWW-Authenticate").orElse(null);
        r.body().close();
        if (header == null) {
          throw new RegistryException(401, "registry " + ref.registry()
              + " refused the request without an authentication challenge");
        }
        authenticate(ref, AuthChallenge.parse(header), scope, tokenKey);
        authenticated = true;
        hop--;
        continue;
      }
      if (status >= 300 && status < 400 && r.headers().firstValue("Location").isPresent()) {
        r.body().close();
        current = current.resolve(r.headers().firstValue("Location").get());
        continue;
      }
      if (status / 100 != 2) {
        throw error(ref, current, r);
      }
      return r;
    }
    throw new RegistryException(310, "too many redirects fetching " + uri);
  }

  private HttpResponse<InputStream> send(URI uri, String accept, String authorization)
      throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(RESPONSE_TIMEOUT)
        .header("Accept", accept);
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted fetching " + uri);
    }
  }

  /** Answers a challenge: stores the header value to send from now on for this scope. */
  private void authenticate(ImageReference ref, AuthChallenge challenge, String scope,
      String tokenKey) throws IOException {
    RegistryCredentials creds = settings.credentials().get(ref.registry());
    if (challenge.scheme().equals("basic")) {
      if (creds == null) {
        throw new RegistryException(401, "registry " + ref.registry()
            + " requires credentials and none are configured for it");
      }
      tokens.put(tokenKey, creds.basicHeader());
      return;
    }
    if (!challenge.scheme().equals("bearer") || challenge.param("realm") == null) {
      throw new RegistryException(401, "registry " + ref.registry()
          + " asks for unsupported authentication: " + challenge.scheme());
    }
    StringBuilder q = new StringBuilder(challenge.param("realm"));
    q.append(q.indexOf("?") < 0 ? '?' : '&');
    if (challenge.param("service") != null) {
      q.append("service=").append(encode(challenge.param("service"))).append('&');
    }
    q.append("scope=").append(encode(challenge.param("scope") != null
        ? challenge.param("scope") : scope));
    HttpResponse<InputStream> r = send(URI.create(q.toString()), "application/json",
        creds == null ? null : creds.basicHeader());
    JsonNode body;
    try (InputStream in = r.body()) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES);
      if (r.statusCode() / 100 != 2) {
        throw new RegistryException(r.statusCode(), "token service of " + ref.registry()
            + " refused " + (creds == null ? "anonymous" : "credentialed") + " access ("
            + r.statusCode() + "): " + new String(bytes, StandardCharsets.UTF_8).strip());
      }
      body = JSON.readTree(bytes);
    }
    String token = body.path("token").asText(body.path("access_token").asText(""));
    if (token.isEmpty()) {
      throw new RegistryException(401, "token service of " + ref.registry()
          + " returned no token");
    }
    LOG.debug("Obtained a bearer token for {} {}", ref.registry(), scope);
    tokens.put(tokenKey, "Bearer " + token);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** A readable error from the registry's JSON error body ({@code errors[].code/message}). */
  private static RegistryException error(ImageReference ref, URI uri, HttpResponse<InputStream> r)
      throws IOException {
    String detail;
    try (InputStream in = r.body()) {
      byte[] bytes = in.readNBytes(64 * 1024);
      detail = new String(bytes, StandardCharsets.UTF_8).strip();
      try {
        JsonNode errors = JSON.readTree(bytes).path("errors");
        if (errors.isArray() && errors.size() > 0) {
          JsonNode e = errors.get(0);
          detail = e.path("code").asText() + ": " + e.path("message").asText();
        }
      } catch (IOException notJson) {
        // keep the raw text
      }
    }
    int status = r.statusCode();
    String what = status == 404 ? "not found" : status == 401 || status == 403 ? "access denied"
        : "failed with HTTP " + status;
    return new RegistryException(status, "image " + ref + ": " + what + " at " + uri
        + (detail.isEmpty() ? "" : " (" + detail + ")"));
  }
}
