package dev.terrace.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The services framework on a real cluster (embedded ZooKeeper, a master, two agents with the real
 * OCI containerizer): instances are real containers, health checks run in them, and the framework
 * heals what the test breaks.
 */
@Tag("linux")
class ServicesLinuxTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private InProcessCluster cluster;
  private final List<ServicesFramework> frameworks = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "real containers need root; skipped");
    Assumptions.assumeTrue(Stream.of("runc", "crun").anyMatch(ServicesLinuxTest::onPath) && onPath("conmon"),
        "needs runc or crun, and conmon; skipped");
    cluster = InProcessCluster.builder().containerizer(Containerizers.real()).agents(2)
        .masterConfig(b -> b.agentPingTimeout(Duration.ofMillis(200)).maxAgentPingTimeouts(3))
        .agentResources("cpus:2;mem:1024;disk:1024;ports:[31000-31100]").start();
  }

  @AfterEach
  void stop() {
    frameworks.forEach(ServicesFramework::close);
    if (cluster != null) {
      cluster.close();
    }
  }

  private static boolean onPath(String binary) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
  }

  private ServicesFramework framework(String path) throws Exception {
    ServicesFramework f = ServicesFramework.start(ServicesConfig.defaults(cluster.zkUrl(),
        "zk://" + cluster.zooKeeper().connectString() + path).withHosts("127.0.0.1", "127.0.0.1").withPort(0)
        .withTick(Duration.ofMillis(100)));
    frameworks.add(f);
    return f;
  }

  private static String newPath() {
    return "/terrace-services-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The agent (index) whose sandboxes hold the task, and the task's sandbox there. */
  private Optional<Path> sandbox(String taskId) throws Exception {
    for (int i = 0; i < cluster.agents().size(); i++) {
      Path root = cluster.workDir().resolve("agent-" + i).resolve("agents");
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        Optional<Path> found = files.filter(p -> p.toString().endsWith("/executors/" + taskId + "/runs/latest"))
            .findFirst();
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private int agentOf(String taskId) throws Exception {
    Path sandbox = sandbox(taskId).orElseThrow();
    for (int i = 0; i < cluster.agents().size(); i++) {
      if (sandbox.startsWith(cluster.workDir().resolve("agent-" + i))) {
        return i;
      }
    }
    throw new AssertionError("no agent holds " + taskId);
  }

  @Test
  void keepsThreeHealthyInstancesThroughAKillAnUnhealthyInstanceAndAnAgentLoss() throws Exception {
    ServicesFramework f = framework(newPath());
    await().atMost(WAIT).until(f::isLeader);
    ServicesHttp api = new ServicesHttp(f.url());
    String marker = "sleep 86" + (100 + (int) (Math.random() * 800));
    api.ok("PUT", "/v1/services/keeper", "{\"command\":\"" + marker + "\",\"instances\":3,\"mem\":32,"
        + "\"backoff_seconds\":0.2,\"health\":{\"type\":\"COMMAND\",\"command\":\"test ! -f /mnt/mesos/sandbox/sick\","
        + "\"interval_seconds\":0.5,\"grace_period_seconds\":0,\"max_consecutive_failures\":2}}");
    await().atMost(WAIT).until(() -> api.healthy("keeper").size() == 3);
    Set<String> first = new HashSet<>(api.healthy("keeper"));

    // 1. A task's process dies (as after a crash): it is replaced.
    ProcessHandle victim = ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.endsWith(marker)).orElse(false)).findFirst().orElseThrow();
    victim.destroyForcibly();
    await().atMost(WAIT).until(() -> {
      List<String> now = api.healthy("keeper");
      return now.size() == 3 && !first.containsAll(now);
    });
    assertThat(api.show("keeper").path("failures").asInt()).isZero(); // healthy again resets the backoff

    // 2. An instance turns unhealthy: the agent kills it and the framework replaces it.
    Set<String> second = new HashSet<>(api.healthy("keeper"));
    String sick = second.iterator().next();
    Files.writeString(sandbox(sick).orElseThrow().resolve("sick"), "");
    await().atMost(WAIT).until(() -> {
      List<String> now = api.healthy("keeper");
      return now.size() == 3 && !now.contains(sick);
    });

    // 3. The agent of an instance is lost: its instances are rescheduled on the other agent.
    List<String> third = api.healthy("keeper");
    int lostAgent = agentOf(third.get(0));
    List<String> onLostAgent = new ArrayList<>();
    for (String id : third) {
      if (agentOf(id) == lostAgent) {
        onLostAgent.add(id);
      }
    }
    Path dir = cluster.crashAgent(lostAgent);
    await().atMost(WAIT).until(() -> {
      List<String> now = api.healthy("keeper");
      if (now.size() != 3) {
        return false;
      }
      for (String id : now) {
        if (agentOf(id) == lostAgent) {
          return false;
        }
      }
      return true;
    });
    // The agent comes back with its old containers: the framework kills the ones it replaced.
    cluster.startAgent(dir);
    await().atMost(WAIT).until(() -> {
      java.util.Map<String, String> states = taskStates();
      return onLostAgent.stream().allMatch(id -> "TASK_KILLED".equals(states.get(id)));
    });
    assertThat(runningTasks("keeper.")).containsExactlyInAnyOrderElementsOf(api.healthy("keeper"));
    assertThat(api.healthy("keeper")).hasSize(3);
    JsonNode show = api.show("keeper");
    assertThat(show.path("instances")).hasSize(3);
    assertThat(show.path("deploying").asBoolean()).isFalse();
  }

  @Test
  void rollingDeployNeverDropsBelowTheMinimumHealthyCapacityAndRollsBack() throws Exception {
    ServicesFramework f = framework(newPath());
    await().atMost(WAIT).until(f::isLeader);
    ServicesHttp api = new ServicesHttp(f.url());
    String spec = "{\"command\":\"echo v%d; sleep 1000\",\"instances\":4,\"mem\":32,\"minimum_health_capacity\":0.75,"
        + "\"maximum_over_capacity\":0,\"health\":{\"type\":\"COMMAND\",\"command\":\"%s\",\"interval_seconds\":0.3,"
        + "\"grace_period_seconds\":%s,\"max_consecutive_failures\":3}}";
    api.ok("PUT", "/v1/services/roll", String.format(spec, 1, "true", "0"));
    await().atMost(WAIT).until(() -> api.healthy("roll").size() == 4);

    // Watch the healthy count all through the deploy (3 = ceil(4 * 0.75) at the least).
    AtomicInteger lowest = new AtomicInteger(4);
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = new Thread(() -> {
      while (watching.get()) {
        try {
          lowest.accumulateAndGet(api.healthy("roll").size(), Math::min);
        } catch (Exception ignored) {
          // a failed poll says nothing about health
        }
      }
    });
    watcher.start();
    try {
      JsonNode v2 = api.ok("PUT", "/v1/services/roll", String.format(spec, 2, "true", "0"));
      assertThat(v2.path("version").asInt()).isEqualTo(2);
      await().atMost(WAIT).until(() -> {
        JsonNode s = api.show("roll");
        return !s.path("deploying").asBoolean() && api.healthy("roll").size() == 4
            && allVersion(s, 2);
      });
    } finally {
      watching.set(false);
      watcher.join();
    }
    assertThat(lowest.get()).isGreaterThanOrEqualTo(3);

    // Version 3 never gets healthy: the deploy stalls with the old instances serving, then rolls back.
    api.ok("PUT", "/v1/services/roll", String.format(spec, 3, "false", "30"));
    await().atMost(WAIT).until(() -> api.show("roll").path("instances").size() == 4
        && instancesOf(api.show("roll"), 3) == 1);
    assertThat(api.healthy("roll")).hasSize(3);
    assertThat(api.show("roll").path("deploying").asBoolean()).isTrue();
    JsonNode back = api.ok("POST", "/v1/services/roll/rollback", null);
    assertThat(back.path("version").asInt()).isEqualTo(4);
    await().atMost(WAIT).until(() -> api.healthy("roll").size() == 4 && allVersion(api.show("roll"), 4));
    assertThat(api.show("roll").path("spec").path("command").asText()).isEqualTo("echo v2; sleep 1000");

    // Scale down, then remove.
    api.ok("POST", "/v1/services/roll/scale", "{\"instances\":2}");
    await().atMost(WAIT).until(() -> api.show("roll").path("instances").size() == 2);
    assertThat(api.call("POST", "/v1/services/roll/scale", "{\"instances\":-1}").status()).isEqualTo(400);
    assertThat(api.call("PUT", "/v1/services/bad", "{\"command\":\"x\",\"minimum_health_capacity\":1,"
        + "\"maximum_over_capacity\":0}").body().path("error").asText()).contains("no room");
    assertThat(api.call("DELETE", "/v1/services/roll", null).status()).isEqualTo(204);
    assertThat(api.call("GET", "/v1/services/roll", null).status()).isEqualTo(404);
  }

  @Test
  void endpointsListHealthyHostPortsAndFailoverKeepsTheInstances() throws Exception {
    Assumptions.assumeTrue(SharedRegistry.available(), "needs docker-registry and busybox-static; skipped");
    String image = SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG);
    String path = newPath();
    ServicesFramework first = framework(path);
    await().atMost(WAIT).until(first::isLeader);
    ServicesFramework second = framework(path);
    ServicesHttp api = new ServicesHttp(second.url()); // a follower: redirected to the leader
    api.ok("PUT", "/v1/services/web", "{\"image\":\"" + image + "\",\"instances\":1,\"mem\":32,\"ports\":[0],"
        + "\"command\":\"mkdir -p /tmp/www && echo hello-from-web > /tmp/www/index.html && httpd -f -p $PORT0 -h /tmp/www\","
        + "\"health\":{\"type\":\"HTTP\",\"path\":\"/index.html\",\"interval_seconds\":0.5,\"grace_period_seconds\":10}}");
    await().atMost(WAIT).until(() -> api.healthy("web").size() == 1);
    JsonNode endpoint = api.ok("GET", "/v1/services/web/endpoints", null).get(0);
    int port = endpoint.path("ports").get(0).asInt();
    assertThat(port).isBetween(31000, 31100);
    assertThat(endpoint.path("address").asText()).isEqualTo(endpoint.path("host").asText() + ":" + port);
    String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/index.html")).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(body).contains("hello-from-web");

    String taskId = endpoint.path("task_id").asText();
    first.close();
    await().atMost(WAIT).until(second::isLeader);
    await().atMost(WAIT).until(() -> api.healthy("web").equals(List.of(taskId)));
    assertThat(api.show("web").path("instances")).hasSize(1);
    assertThat(api.show("web").path("version").asInt()).isEqualTo(1);
  }

  /** Ids of the tasks the master has RUNNING whose id starts with {@code prefix}. */
  private List<String> runningTasks(String prefix) throws Exception {
    return taskStates().entrySet().stream().filter(e -> e.getKey().startsWith(prefix)
        && e.getValue().equals("TASK_RUNNING")).map(java.util.Map.Entry::getKey).toList();
  }

  /** Every task the master knows (live or completed), by id, with its state. */
  private java.util.Map<String, String> taskStates() throws Exception {
    JsonNode state = dev.terrace.common.json.Json.parse(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(cluster.leader().orElseThrow().url() + "/master/state")).build(),
        HttpResponse.BodyHandlers.ofString()).body(), JsonNode.class);
    java.util.Map<String, String> states = new java.util.HashMap<>();
    for (JsonNode fw : state.path("frameworks")) {
      for (String list : new String[] {"completed_tasks", "tasks"}) {
        fw.path(list).forEach(t -> states.put(t.path("id").asText(), t.path("state").asText()));
      }
    }
    return states;
  }

  private static boolean allVersion(JsonNode service, int version) {
    for (JsonNode i : service.path("instances")) {
      if (i.path("version").asInt() != version) {
        return false;
      }
    }
    return service.path("instances").size() > 0;
  }

  private static int instancesOf(JsonNode service, int version) {
    int n = 0;
    for (JsonNode i : service.path("instances")) {
      if (i.path("version").asInt() == version) {
        n++;
      }
    }
    return n;
  }
}
