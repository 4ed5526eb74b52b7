package dev.terrace.notebooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.notebooks.NotebooksConfig.NotebookSettings;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import dev.terrace.testkit.MovableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The notebooks framework on a real cluster (embedded ZooKeeper, a master, an agent with the real
 * OCI containerizer) running Debian's real {@code jupyter-notebook}: the server answers through
 * its host port, the framework stops it once the server reports no activity for longer than the
 * idle timeout (the test moves the framework's clock instead of waiting), and the next server
 * finds the user's files again.
 */
@Tag("linux")
class NotebooksLinuxTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Duration IDLE = Duration.ofMinutes(10);
  private final HttpClient http = HttpClient.newHttpClient();
  private final MovableClock clock = MovableClock.realTime();
  private InProcessCluster cluster;
  private NotebooksFramework framework;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "real containers need root; skipped");
    Assumptions.assumeTrue(Stream.of("runc", "crun").anyMatch(NotebooksLinuxTest::onPath) && onPath("conmon"),
        "needs runc or crun, and conmon; skipped");
    Assumptions.assumeTrue(onPath("jupyter-notebook"),
        "needs Debian's jupyter-notebook (scripts/install-test-deps.sh); skipped");
    cluster = InProcessCluster.builder().containerizer(Containerizers.real()).agents(1)
        .agentResources("cpus:2;mem:2048;disk:1024;ports:[31000-31100]").start();
    NotebooksConfig config = NotebooksConfig.defaults(cluster.zkUrl(),
            "zk://" + cluster.zooKeeper().connectString() + "/terrace-notebooks-" + UUID.randomUUID().toString()
                .substring(0, 8))
        .withHosts("127.0.0.1", "127.0.0.1").withPort(0).withTiming(Duration.ofMillis(300), clock)
        .withNotebook(new NotebookSettings("jupyter-notebook", "notebooks", 0.5, 512, IDLE));
    framework = NotebooksFramework.start(config);
  }

  @AfterEach
  void stop() {
    if (framework != null) {
      framework.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static boolean onPath(String binary) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
  }

  @Test
  void aNotebookAnswersIsStoppedWhenIdleAndStartsAgainWithItsFiles() throws Exception {
    await().atMost(WAIT).until(framework::isLeader);
    assertThat(call("POST", framework.url() + "/v1/notebooks/Not%20A%20User", null, null).statusCode()).isEqualTo(400);
    assertThat(call("GET", framework.url() + "/v1/notebooks/nobody", null, null).statusCode()).isEqualTo(404);

    JsonNode started = json(call("POST", framework.url() + "/v1/notebooks/alice", null, null), 200);
    String token = started.path("token").asText();
    assertThat(token).hasSizeGreaterThanOrEqualTo(32);

    // 1. The server runs and answers GET /api with its version through the allocated host port.
    JsonNode running = awaitState("alice", "RUNNING");
    String url = running.path("url").asText();
    assertThat(url).startsWith("http://127.0.0.1:");
    JsonNode api = await().atMost(WAIT).ignoreExceptions()
        .until(() -> json(call("GET", url + "api", null, null), 200), n -> n.hasNonNull("version"));
    assertThat(api.path("version").asText()).isNotBlank();
    // The list never shows tokens; the master's UI gets a link without one.
    JsonNode list = json(call("GET", framework.url() + "/v1/notebooks", null, null), 200);
    assertThat(list.toString()).contains("alice").doesNotContain(token);
    JsonNode state = json(call("GET", cluster.awaitLeader().url() + "/master/state", null, null), 200);
    assertThat(state.toString()).contains("\"terrace.ui.link\"").contains(url).doesNotContain(token);

    // 2. A file written through Jupyter's contents API lands in the user's working directory.
    assertThat(call("PUT", url + "api/contents/x.txt", token,
        "{\"type\":\"file\",\"format\":\"text\",\"content\":\"kept across restarts\"}").statusCode()).isEqualTo(201);
    assertThat(call("PUT", url + "api/contents/y.txt", "wrong-token",
        "{\"type\":\"file\",\"format\":\"text\",\"content\":\"no\"}").statusCode()).isEqualTo(403);
    Path onHost = cluster.workDir().resolve("agent-0/volumes/notebooks/alice/x.txt");
    await().atMost(WAIT).until(() -> Files.exists(onHost));

    // 3. Once the server's last activity is older than the timeout, the framework stops it.
    clock.advance(IDLE.plusMinutes(1));
    JsonNode stopped = awaitState("alice", "STOPPED");
    assertThat(stopped.path("stop_reason").asText()).contains("idle");
    await().atMost(WAIT).until(() -> !answers(url + "api"));

    // 4. Started again, the server finds the file; the token is the same.
    JsonNode again = json(call("POST", framework.url() + "/v1/notebooks/alice", null, null), 200);
    assertThat(again.path("token").asText()).isEqualTo(token);
    String url2 = awaitState("alice", "RUNNING").path("url").asText();
    JsonNode file = await().atMost(WAIT).ignoreExceptions()
        .until(() -> json(call("GET", url2 + "api/contents/x.txt", token, null), 200), n -> n.has("content"));
    assertThat(file.path("content").asText()).isEqualTo("kept across restarts");

    // 5. Stopped on request.
    json(call("DELETE", framework.url() + "/v1/notebooks/alice", null, null), 200);
    assertThat(awaitState("alice", "STOPPED").path("stop_reason").asText()).contains("request");
  }

  private JsonNode awaitState(String user, String state) {
    return await().atMost(WAIT).ignoreExceptions().until(
        () -> json(call("GET", framework.url() + "/v1/notebooks/" + user, null, null), 200),
        n -> state.equals(n.path("state").asText()));
  }

  private boolean answers(String url) {
    try {
      call("GET", url, null, null);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private HttpResponse<String> call(String method, String url, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "token " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r, int status) {
    if (r.statusCode() != status) {
      throw new AssertionError(r.uri() + ": " + r.statusCode() + " " + r.body());
    }
    return Json.parse(r.body(), JsonNode.class);
  }
}
