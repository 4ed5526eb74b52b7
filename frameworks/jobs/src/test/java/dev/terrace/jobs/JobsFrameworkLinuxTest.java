package dev.terrace.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import dev.terrace.testkit.MovableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The jobs framework on a real cluster (embedded ZooKeeper, master, an agent with the real OCI
 * containerizer): its tasks are real containers. The framework's clock is moved by the test, so
 * cron fires happen exactly when the test says.
 */
@Tag("linux")
class JobsFrameworkLinuxTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static InProcessCluster cluster;
  private static final List<JobsFramework> frameworks = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "real containers need root; skipped");
    Assumptions.assumeTrue(Stream.of("runc", "crun").anyMatch(JobsFrameworkLinuxTest::onPath) && onPath("conmon"),
        "needs runc or crun, and conmon; skipped");
    cluster = InProcessCluster.builder().containerizer(Containerizers.real())
        .agentResources("cpus:4;mem:2048;disk:1024;ports:[31000-31100]").start();
  }

  @AfterAll
  static void stop() {
    frameworks.forEach(JobsFramework::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  private static boolean onPath(String binary) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
  }

  /** A jobs framework instance with its own state path (or {@code path}, shared between instances). */
  private static JobsFramework framework(String path, java.time.Clock clock) throws Exception {
    String stateZk = "zk://" + cluster.zooKeeper().connectString() + path;
    JobsFramework f = JobsFramework.start(JobsConfig.defaults(cluster.zkUrl(), stateZk)
        .withHosts("127.0.0.1", "127.0.0.1").withPort(0).withClock(clock).withTick(Duration.ofMillis(100)));
    frameworks.add(f);
    return f;
  }

  private static String newPath() {
    return "/terrace-jobs-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void cronJobFiresWhenTheClockReachesItsTime() throws Exception {
    MovableClock clock = MovableClock.at(Instant.parse("2026-01-01T10:00:30Z"));
    JobsFramework f = framework(newPath(), clock);
    await().atMost(WAIT).until(f::isLeader);
    JobsHttp api = new JobsHttp(f.url());
    JsonNode job = api.put("tick", "{\"command\":\"echo fired at $TERRACE_JOB_RUN\",\"schedule\":\"* * * * *\","
        + "\"time_zone\":\"Europe/Paris\",\"cpus\":0.1,\"mem\":32}");
    assertThat(job.path("next_fire_at").asLong()).isEqualTo(Instant.parse("2026-01-01T10:01:00Z").toEpochMilli());
    assertThat(job.path("runs")).isEmpty();

    clock.set(Instant.parse("2026-01-01T10:01:05Z"));
    await().atMost(WAIT).until(() -> api.runStatus("tick", 1).equals("SUCCEEDED"));
    JsonNode run = api.show("tick").path("runs").get(0);
    assertThat(run.path("trigger").asText()).isEqualTo("schedule");
    JsonNode attempt = run.path("attempts").get(0);
    assertThat(attempt.path("state").asText()).isEqualTo("TASK_FINISHED");
    assertThat(attempt.path("exit_code").asInt()).isZero();
    assertThat(attempt.path("hostname").asText()).isNotEmpty();
    assertThat(attempt.path("launched_at").asLong()).isPositive();
    assertThat(attempt.path("finished_at").asLong()).isGreaterThanOrEqualTo(attempt.path("launched_at").asLong());
    assertThat(api.show("tick").path("master_url").asText()).isEqualTo(cluster.leader().orElseThrow().url());
    assertThat(api.show("tick").path("next_fire_at").asLong())
        .isEqualTo(Instant.parse("2026-01-01T10:02:00Z").toEpochMilli());
    assertThat(api.show("tick").path("runs")).hasSize(1);
  }

  @Test
  void failedInstanceIsRetriedInARealImageAndExhaustedRetriesFailTheRun() throws Exception {
    Assumptions.assumeTrue(SharedRegistry.available(), "needs docker-registry and busybox-static; skipped");
    String image = SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG);
    JobsFramework f = framework(newPath(), java.time.Clock.systemUTC());
    await().atMost(WAIT).until(f::isLeader);
    JobsHttp api = new JobsHttp(f.url());
    // The first attempt fails, the second succeeds (attempts are numbered from 0).
    api.put("flaky", "{\"image\":\"" + image + "\",\"command\":\"[ $TERRACE_JOB_ATTEMPT -ge 1 ] || exit 4\","
        + "\"retries\":2,\"retry_backoff_seconds\":0.1,\"mem\":32}");
    api.startRun("flaky");
    await().atMost(WAIT).until(() -> api.runStatus("flaky", 1).equals("SUCCEEDED"));
    JsonNode attempts = api.show("flaky").path("runs").get(0).path("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).path("state").asText()).isEqualTo("TASK_FAILED");
    assertThat(attempts.get(0).path("exit_code").asInt()).isEqualTo(4);
    assertThat(attempts.get(1).path("state").asText()).isEqualTo("TASK_FINISHED");

    api.put("broken", "{\"image\":\"" + image + "\",\"command\":\"exit 3\",\"retries\":1,"
        + "\"retry_backoff_seconds\":0.1,\"mem\":32}");
    api.startRun("broken");
    await().atMost(WAIT).until(() -> api.runStatus("broken", 1).equals("FAILED"));
    JsonNode run = api.show("broken").path("runs").get(0);
    assertThat(run.path("attempts")).hasSize(2).allSatisfy(a -> assertThat(a.path("exit_code").asInt()).isEqualTo(3));
    assertThat(run.path("message").asText()).contains("Command exited with status 3");
  }

  @Test
  void dependentJobWaitsForItsDependencyAndUnplaceableRunsSayWhy() throws Exception {
    JobsFramework f = framework(newPath(), java.time.Clock.systemUTC());
    await().atMost(WAIT).until(f::isLeader);
    JobsHttp api = new JobsHttp(f.url());
    api.put("extract", "{\"command\":\"echo extracted\",\"mem\":32}");
    api.put("load", "{\"command\":\"echo loaded\",\"mem\":32,\"dependencies\":[\"extract\"]}");
    api.startRun("load");
    await().atMost(WAIT).until(() -> api.show("load").path("pending_reasons").path("load.1.0").toString()
        .contains("waiting for job extract to succeed (it has not run)"));
    assertThat(api.runStatus("load", 1)).isEqualTo("PENDING");

    api.startRun("extract");
    await().atMost(WAIT).until(() -> api.runStatus("load", 1).equals("SUCCEEDED"));
    JsonNode extract = api.show("extract").path("runs").get(0);
    JsonNode load = api.show("load").path("runs");
    assertThat(extract.path("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(load).hasSize(1); // the waiting run went; success did not start a second one
    assertThat(load.get(0).path("attempts").get(0).path("launched_at").asLong())
        .isGreaterThanOrEqualTo(extract.path("finished_at").asLong());

    // A job no agent can take waits with the framework's reasons and the allocator's explanation.
    api.put("huge", "{\"command\":\"true\",\"mem\":100000}");
    api.startRun("huge");
    await().atMost(WAIT).until(() -> api.show("huge").path("pending_reasons").path("huge.1.0").toString()
        .contains("not enough mem (needs 100000"));
    assertThat(api.show("huge").has("allocator")).isTrue();
    assertThat(api.call("POST", "/v1/jobs/huge/kill", null).status()).isEqualTo(200);
    assertThat(api.runStatus("huge", 1)).isEqualTo("KILLED");

    JobsHttp.Answer bad = api.call("PUT", "/v1/jobs/bad", "{\"command\":\"true\",\"schedule\":\"every day\"}");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().path("error").asText()).contains("5 fields");
    assertThat(api.call("GET", "/v1/jobs/bad", null).status()).isEqualTo(404);
    assertThat(api.call("DELETE", "/v1/jobs/extract", null).status()).isEqualTo(409);
  }

  @Test
  void leaderFailoverLosesAndDuplicatesNoRun() throws Exception {
    String path = newPath();
    MovableClock clock = MovableClock.at(Instant.parse("2026-03-01T08:00:10Z"));
    JobsFramework first = framework(path, clock);
    await().atMost(WAIT).until(first::isLeader);
    JobsFramework second = framework(path, clock);
    JobsHttp viaSecond = new JobsHttp(second.url()); // a follower: every call is redirected to the leader
    assertThat(second.isLeader()).isFalse();
    viaSecond.put("long", "{\"command\":\"sleep 4\",\"mem\":32}");
    viaSecond.put("every-minute", "{\"command\":\"true\",\"mem\":32,\"schedule\":\"* * * * *\"}");
    viaSecond.startRun("long");
    clock.set(Instant.parse("2026-03-01T08:01:01Z"));
    await().atMost(WAIT).until(() -> viaSecond.show("long").path("runs").get(0).path("attempts").get(0)
        .path("state").asText().equals("TASK_RUNNING"));
    await().atMost(WAIT).until(() -> viaSecond.runStatus("every-minute", 1).equals("SUCCEEDED"));
    String frameworkId = new JobsHttp(first.url()).call("GET", "/v1/info", null).body().path("framework_id").asText();

    first.close();
    await().atMost(WAIT).until(second::isLeader);
    await().atMost(WAIT).until(() -> viaSecond.runStatus("long", 1).equals("SUCCEEDED"));
    assertThat(viaSecond.call("GET", "/v1/info", null).body().path("framework_id").asText()).isEqualTo(frameworkId);
    JsonNode longRuns = viaSecond.show("long").path("runs");
    assertThat(longRuns).hasSize(1);
    assertThat(longRuns.get(0).path("attempts")).hasSize(1); // the same task, reconciled, not relaunched
    // The new leader has ticked many times by now: the 08:01 fire stayed the only one.
    assertThat(viaSecond.show("every-minute").path("runs")).hasSize(1);
    clock.set(Instant.parse("2026-03-01T08:02:01Z"));
    await().atMost(WAIT).until(() -> viaSecond.runStatus("every-minute", 2).equals("SUCCEEDED"));
    assertThat(viaSecond.show("every-minute").path("runs")).hasSize(2);
    assertThat(tasksOf(frameworkId)).filteredOn(id -> id.startsWith("long.")).containsExactly("long.1.0.0");
  }

  /** Every task id the master knows for the framework, live or completed. */
  private static List<String> tasksOf(String frameworkId) throws Exception {
    JsonNode state = dev.terrace.common.json.Json.parse(java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.leader().orElseThrow().url()
            + "/master/state")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body(), JsonNode.class);
    List<String> ids = new ArrayList<>();
    for (JsonNode fw : state.path("frameworks")) {
      if (fw.path("id").asText().equals(frameworkId)) {
        for (String list : new String[] {"tasks", "completed_tasks"}) {
          fw.path(list).forEach(t -> ids.add(t.path("id").asText()));
        }
      }
    }
    return ids;
  }
}
