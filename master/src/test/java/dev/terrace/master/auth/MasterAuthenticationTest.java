package dev.terrace.master.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.security.authn.AuthenticationPolicy;
import dev.terrace.security.authn.CredentialsFile;
import dev.terrace.security.authn.Realm;
import dev.terrace.security.authz.Authorizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication through a real master over real HTTP: every realm, 401s, reload, exposure. */
class MasterAuthenticationTest {
  private static final String FW = "{\"user\":\"nobody\",\"name\":\"fw\",\"principal\":\"%s\"}";

  @TempDir
  Path dir;
  private MasterServer master;
  private CredentialsFile credentials;

  @AfterEach
  void stop() {
    if (master != null) {
      master.close();
    }
    if (credentials != null) {
      credentials.close();
    }
  }

  private MasterHttp start(Set<Realm> required) throws Exception {
    Path file = dir.resolve("credentials.json");
    if (!Files.exists(file)) {
      writeCredentials(file, "s3cret");
    }
    credentials = CredentialsFile.watch(file, Duration.ofMillis(50));
    master = MasterServer.start(MasterConfig.builder().port(0).workDir(dir)
        .security(new MasterSecurity(new AuthenticationPolicy(required, credentials),
            Authorizer.allowAll(), null, false)).build());
    await().atMost(10, TimeUnit.SECONDS).until(master::isLeader);
    return new MasterHttp("http://127.0.0.1:" + master.port());
  }

  private static void writeCredentials(Path file, String opsSecret) throws Exception {
    Files.writeString(file, "{\"credentials\":[{\"principal\":\"ops\",\"secret\":\"" + opsSecret + "\"},"
        + "{\"principal\":\"fw1\",\"secret\":\"fw1-secret\"},{\"principal\":\"agent\",\"secret\":\"agent-secret\"}]}");
  }

  @Test
  void everyRealmRefusesWithoutCredentialsAndNamesItsRealm() throws Exception {
    MasterHttp http = start(EnumSet.of(Realm.READONLY, Realm.READWRITE, Realm.FRAMEWORK, Realm.AGENT));

    assertThat(http.get("/health", null).statusCode()).isEqualTo(200);
    assertThat(http.get("/version", null).statusCode()).isEqualTo(200);

    var state = http.get("/master/state", null);
    assertThat(state.statusCode()).isEqualTo(401);
    assertThat(state.headers().allValues("WWW-Authenticate"))
        .contains("Basic realm=\"terrace-master-readonly\"", "Bearer realm=\"terrace-master-readonly\"");
    assertThat(http.get("/metrics/snapshot", null).statusCode()).isEqualTo(401);
    assertThat(http.get("/master/state", MasterHttp.basic("ops", "wrong")).statusCode()).isEqualTo(401);
    assertThat(http.get("/master/state", MasterHttp.basic("nobody", "s3cret")).statusCode()).isEqualTo(401);
    assertThat(http.get("/master/state", "Basic !!!notbase64").statusCode()).isEqualTo(401);
    assertThat(http.get("/ui/../master/state", null).statusCode()).isEqualTo(401);
    assertThat(http.get("/master/state", MasterHttp.basic("ops", "s3cret")).statusCode()).isEqualTo(200);
    assertThat(http.get("/master/state", "Bearer s3cret").statusCode()).isEqualTo(200);

    var op = http.post("/api/v1", "{\"type\":\"GET_HEALTH\"}", null);
    assertThat(op.statusCode()).isEqualTo(401);
    assertThat(op.headers().allValues("WWW-Authenticate")).contains("Basic realm=\"terrace-master-readwrite\"");
    assertThat(http.post("/api/v1", "{\"type\":\"GET_HEALTH\"}", MasterHttp.basic("ops", "s3cret"))
        .statusCode()).isEqualTo(200);

    assertThat(http.subscribe(FW.formatted("fw1"), null)).startsWith("401");
    assertThat(http.subscribe(FW.formatted("fw1"), MasterHttp.basic("fw1", "bad"))).startsWith("401");
  }

  @Test
  void aFrameworkMustSubscribeAsThePrincipalItAuthenticatedAs() throws Exception {
    MasterHttp http = start(EnumSet.of(Realm.FRAMEWORK));

    assertThat(http.subscribe(FW.formatted("ops"), MasterHttp.basic("fw1", "fw1-secret")))
        .startsWith("403").contains("Authenticated principal 'fw1' does not match principal 'ops'");
    assertThat(http.subscribe("{\"user\":\"nobody\",\"name\":\"fw\"}", MasterHttp.basic("fw1", "fw1-secret")))
        .startsWith("403");
    // Refused subscriptions changed nothing.
    assertThat(http.get("/master/frameworks", null).body()).contains("\"frameworks\":[]");

    assertThat(http.subscribe(FW.formatted("fw1"), MasterHttp.basic("fw1", "fw1-secret"))).isEqualTo("200");
    await().atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(http.get("/master/frameworks", null).body()).contains("\"principal\":\"fw1\""));
  }

  @Test
  void agentsNeedCredentialsOnTheirChannel() throws Exception {
    start(EnumSet.of(Realm.AGENT));
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("ws://127.0.0.1:" + master.port() + "/api/v1/agent");
    WebSocket.Listener quiet = new WebSocket.Listener() { };

    assertThatThrownBy(() -> client.newWebSocketBuilder().buildAsync(uri, quiet).join())
        .isInstanceOf(CompletionException.class).hasStackTraceContaining("status code 401");
    WebSocket ws = client.newWebSocketBuilder()
        .header("Authorization", MasterHttp.basic("agent", "agent-secret"))
        .buildAsync(uri, quiet).join();
    ws.abort();
  }

  @Test
  void readOnlyAndReadWriteAreConfiguredSeparately() throws Exception {
    MasterHttp http = start(EnumSet.of(Realm.READWRITE));
    assertThat(http.get("/master/state", null).statusCode()).isEqualTo(200);
    assertThat(http.post("/api/v1", "{\"type\":\"GET_HEALTH\"}", null).statusCode()).isEqualTo(401);
  }

  @Test
  void aChangedCredentialsFileIsReloadedAndABrokenOneIsIgnored() throws Exception {
    MasterHttp http = start(EnumSet.of(Realm.READONLY));
    assertThat(http.get("/master/state", MasterHttp.basic("ops", "s3cret")).statusCode()).isEqualTo(200);

    writeCredentials(dir.resolve("credentials.json"), "rotated-secret");
    await().atMost(10, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(http.get("/master/state", MasterHttp.basic("ops", "rotated-secret")).statusCode()).isEqualTo(200));
    assertThat(http.get("/master/state", MasterHttp.basic("ops", "s3cret")).statusCode()).isEqualTo(401);

    // A half-written file keeps the last good credentials in force.
    Files.writeString(dir.resolve("credentials.json"), "{\"credentials\":[{\"principal\":");
    await().during(Duration.ofMillis(300)).atMost(5, TimeUnit.SECONDS).untilAsserted(() ->
        assertThat(http.get("/master/state", MasterHttp.basic("ops", "rotated-secret")).statusCode()).isEqualTo(200));
  }

  @Test
  void anOpenMasterRefusesToListenBeyondLoopbackUnlessAllowed() throws Exception {
    MasterConfig open = MasterConfig.builder().bindHost("0.0.0.0").port(0).workDir(dir).build();
    assertThatThrownBy(() -> MasterServer.start(open)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Refusing to listen on 0.0.0.0").hasMessageContaining("--allow-open");

    Path file = dir.resolve("credentials.json");
    writeCredentials(file, "s3cret");
    credentials = CredentialsFile.watch(file, Duration.ofSeconds(5));
    var partly = new MasterSecurity(new AuthenticationPolicy(EnumSet.of(Realm.FRAMEWORK), credentials),
        null, null, false);
    assertThatThrownBy(() -> MasterServer.start(open.toBuilder().security(partly).build()))
        .hasMessageContaining("[agent, readwrite]");

    var locked = new MasterSecurity(new AuthenticationPolicy(
        EnumSet.of(Realm.FRAMEWORK, Realm.AGENT, Realm.READWRITE), credentials), null, null, false);
    master = MasterServer.start(open.toBuilder().security(locked).build());
    master.close();
    master = MasterServer.start(open.toBuilder()
        .security(new MasterSecurity(null, null, null, true)).build());
  }
}
