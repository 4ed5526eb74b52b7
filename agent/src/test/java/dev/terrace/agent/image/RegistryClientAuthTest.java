package dev.terrace.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.terrace.agent.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authentication and redirect handling of {@link RegistryClient} against a scripted server
 * (the real registry in the linux tests runs without auth): the bearer-token flow a 401 asks for,
 * basic credentials, and blob redirects to another host that must not receive our credentials.
 */
class RegistryClientAuthTest {
  private static final byte[] MANIFEST = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BLOB = "blob bytes".getBytes(StandardCharsets.UTF_8);

  private HttpServer registry;
  private HttpServer cdn;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    cdn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    cdn.createContext("/", ex -> {
      seen.add("cdn " + ex.getRequestHeaders().getFirst("Authorization"));
      reply(ex, 200, BLOB);
    });
    registry.start();
    cdn.start();
  }

  @AfterEach
  void stop() {
    registry.stop(0);
    cdn.stop(0);
  }

  private String host() {
    return "127.0.0.1:" + registry.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      ex.getResponseBody().write(body);
    }
    ex.close();
  }

  /** A registry that wants a bearer token "tok", from its own /token endpoint. */
  private void bearerRegistry(String expectedTokenAuth) {
    registry.createContext("/token", ex -> {
      seen.add("token " + ex.getRequestURI().getQuery() + " auth="
          + ex.getRequestHeaders().getFirst("Authorization"));
      if (expectedTokenAuth != null
          && !expectedTokenAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        reply(ex, 401, "{\"details\":\"bad credentials\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      reply(ex, 200, "{\"token\":\"tok\"}".getBytes(StandardCharsets.UTF_8));
    });
    registry.createContext("/v2/", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      seen.add(ex.getRequestURI().getPath() + " " + auth);
      if (!"Bearer tok".equals(auth)) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host()
            + "/token\",service=\"test-registry\",scope=\"repository:library/app:pull\"");
        reply(ex, 401, new byte[0]);
      } else if (ex.getRequestURI().getPath().contains("/blobs/")) {
        ex.getResponseHeaders().add("Location",
            "http://127.0.0.1:" + cdn.getAddress().getPort() + "/signed?sig=1");
        reply(ex, 307, new byte[0]);
      } else {
        ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
        reply(ex, 200, MANIFEST);
      }
    });
  }

  @Test
  void anonymousBearerTokenFlowAndRedirectWithoutCredentials() throws Exception {
    bearerRegistry(null);
    RegistryClient client = new RegistryClient(RegistrySettings.defaults());
    ImageReference ref = ImageReference.parse(host() + "/library/app:1");

    RegistryClient.ManifestResponse m = client.manifest(ref);
    byte[] blob;
    try (InputStream in = client.blob(ref, Digest.of(BLOB))) {
      blob = in.readAllBytes();
    }

    assertThat(m.bytes()).isEqualTo(MANIFEST);
    assertThat(m.digest()).isEqualTo(Digest.of(MANIFEST));
    assertThat(blob).isEqualTo(BLOB);
    assertThat(seen).containsExactly(
        "/v2/library/app/manifests/1 null",
        "token service=test-registry&scope=repository:library/app:pull auth=null",
        "/v2/library/app/manifests/1 Bearer tok",
        // The token is reused for the next request of the same scope...
        "/v2/library/app/blobs/" + Digest.of(BLOB) + " Bearer tok",
        // ...and never sent to the host a blob redirect points at.
        "cdn null");
  }

  @Test
  void credentialsGoToTheTokenServiceAndRefusalIsClear() throws Exception {
    RegistryCredentials creds = new RegistryCredentials("user", "secret");
    bearerRegistry(creds.basicHeader());
    RegistryClient good = new RegistryClient(RegistrySettings.defaults()
        .withCredentials(Map.of(host(), creds)));
    assertThat(good.manifest(ImageReference.parse(host() + "/library/app:1")).bytes())
        .isEqualTo(MANIFEST);

    RegistryClient anonymous = new RegistryClient(RegistrySettings.defaults());
    assertThatThrownBy(() -> anonymous.manifest(ImageReference.parse(host() + "/library/app:1")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("refused anonymous access (401)");
  }

  @Test
  void basicChallengeNeedsConfiguredCredentials() throws Exception {
    RegistryCredentials creds = new RegistryCredentials("user", "secret");
    registry.createContext("/v2/", ex -> {
      if (!creds.basicHeader().equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"Registry\"");
        reply(ex, 401, new byte[0]);
        return;
      }
      ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
      reply(ex, 200, MANIFEST);
    });
    ImageReference ref = ImageReference.parse(host() + "/app:1");
    assertThat(new RegistryClient(RegistrySettings.defaults()
        .withCredentials(Map.of(host(), creds))).manifest(ref).bytes()).isEqualTo(MANIFEST);
    assertThatThrownBy(() -> new RegistryClient(RegistrySettings.defaults()).manifest(ref))
        .hasMessageContaining("requires credentials and none are configured");
  }

  @Test
  void manifestNotMatchingItsDigestIsRefused() throws Exception {
    registry.createContext("/v2/", ex -> {
      ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
      reply(ex, 200, MANIFEST);
    });
    Digest other = Digest.of("other".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> new RegistryClient(RegistrySettings.defaults())
        .manifest(ImageReference.parse(host() + "/app@" + other)))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("does not match its digest");
  }
}
