package dev.terrace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.agent.AgentConfig;
import dev.terrace.agent.AgentServer;
import dev.terrace.spark.examples.SparkPi;
import dev.terrace.spark.examples.WordCount;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark applications on a real Terrace cluster (embedded ZooKeeper, a master, two agents running
 * tasks as host processes): the driver runs in this JVM, executors are Terrace tasks, each its own
 * JVM started from the driver's classpath.
 */
class SparkOnTerraceTest {
  private static final HttpClient http = HttpClient.newHttpClient();
  private static InProcessCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    // 1 GiB per agent holds one executor of 512m heap + 384m overhead: two executors must land
    // on two agents.
    cluster = InProcessCluster.builder().agents(2).agentResources("cpus:2;mem:1024;disk:1024")
        .containerizer(Containerizers.hostProcesses()).start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static SparkConf conf(String master, String app) {
    return new SparkConf().setMaster(master).setAppName(app)
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.executor.cores", "1")
        .set("spark.executor.memory", "512m")
        .set("spark.cores.max", "2")
        // Jobs start once both executors are in, so both take part.
        .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
  }

  private static String leaderHostPort() {
    return cluster.leader().orElseThrow().url().replaceFirst("^http://", "");
  }

  static JsonNode state() throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(cluster.leader().orElseThrow().url()
        + "/master/state")).build(), HttpResponse.BodyHandlers.ofString()).body();
    return Json.mapper().readTree(body);
  }

  static JsonNode framework(String id) throws Exception {
    for (JsonNode f : state().path("frameworks")) {
      if (f.path("id").asText().equals(id)) {
        return f;
      }
    }
    return null;
  }

  private static List<JsonNode> tasks(JsonNode framework, String field) {
    return StreamSupport.stream(framework.path(field).spliterator(), false).toList();
  }

  @Test
  void sparkPiAndWordCountRunOnExecutorsThatAreTerraceTasksOnBothAgents(@TempDir Path dir) throws Exception {
    Path text = dir.resolve("words.txt");
    Map<String, Long> expected = new TreeMap<>();
    List<String> lines = new ArrayList<>();
    String[] vocabulary = {"terrace", "spark", "mesos", "agent", "offer", "executor", "task"};
    for (int i = 0; i < 3000; i++) {
      StringBuilder line = new StringBuilder();
      for (int j = 0; j <= i % 5; j++) {
        String w = vocabulary[(i * 7 + j * 3) % vocabulary.length];
        line.append(w).append(j % 2 == 0 ? " " : "\t ");
        expected.merge(w, 1L, Long::sum);
      }
      lines.add(line.toString());
    }
    Files.write(text, lines);

    String appId;
    try (JavaSparkContext sc = new JavaSparkContext(conf("terrace://" + leaderHostPort(), "pi-and-words"))) {
      appId = sc.sc().applicationId();
      double pi = SparkPi.estimate(sc, 4);
      assertThat(pi).isCloseTo(Math.PI, org.assertj.core.data.Offset.offset(0.02));
      assertThat(WordCount.count(sc, text.toString(), 4)).isEqualTo(expected);

      JsonNode fw = framework(appId);
      assertThat(fw).as("framework %s in /master/state", appId).isNotNull();
      assertThat(fw.path("name").asText()).isEqualTo("pi-and-words");
      List<JsonNode> running = tasks(fw, "tasks");
      assertThat(running).hasSize(2);
      assertThat(running).allSatisfy(t -> {
        assertThat(t.path("state").asText()).isEqualTo("TASK_RUNNING");
        assertThat(t.path("name").asText()).startsWith("spark executor ");
        assertThat(t.path("resources").path("cpus").asDouble()).isEqualTo(1.0);
        assertThat(t.path("resources").path("mem").asDouble()).isEqualTo(512 + 384);
      });
      Set<String> agents = running.stream().map(t -> t.path("slave_id").asText()).collect(Collectors.toSet());
      assertThat(agents).hasSize(2);
      // Spark sees the same two executors (and the driver).
      assertThat(sc.sc().getExecutorMemoryStatus().size()).isEqualTo(3);
    }
    // sc.stop() tore the framework down: it is gone from the live frameworks, and no executor runs.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(framework(appId)).isNull();
      assertThat(executorProcesses()).isEmpty();
    });
    JsonNode done = StreamSupport.stream(state().path("completed_frameworks").spliterator(), false)
        .filter(f -> f.path("id").asText().equals(appId)).findFirst().orElseThrow();
    assertThat(tasks(done, "tasks")).isEmpty();
  }

  @Test
  void aKilledExecutorIsReplacedAndTheJobStillCompletes() throws Exception {
    String appId;
    try (JavaSparkContext sc = new JavaSparkContext(conf("terrace://" + cluster.zkUrl(), "survivor"))) {
      appId = sc.sc().applicationId();
      List<Integer> numbers = new ArrayList<>();
      for (int i = 1; i <= 16; i++) {
        numbers.add(i);
      }
      // 16 tasks of a second each on two one-core executors: the job outlives the kill below.
      CompletableFuture<Integer> sum = CompletableFuture.supplyAsync(() ->
          sc.parallelize(numbers, 16).map(n -> {
            Thread.sleep(1000);
            return n;
          }).reduce(Integer::sum));
      await().atMost(Duration.ofSeconds(60))
          .until(() -> sc.sc().statusTracker().getActiveStageIds().length > 0
              && executorProcesses().size() == 2);
      String victim = executorProcesses().keySet().iterator().next();
      executorProcesses().get(victim).destroyForcibly();

      assertThat(sum.get(180, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(16 * 17 / 2);
      JsonNode fw = framework(appId);
      List<JsonNode> completed = tasks(fw, "completed_tasks");
      assertThat(completed).anySatisfy(t -> {
        assertThat(t.path("id").asText()).isEqualTo("spark-executor-" + victim);
        assertThat(t.path("state").asText()).isEqualTo("TASK_FAILED");
      });
      // A third executor took the place of the killed one.
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(tasks(framework(appId), "tasks")).hasSize(2)
              .noneMatch(t -> t.path("id").asText().equals("spark-executor-" + victim))
              .anySatisfy(t -> assertThat(t.path("id").asText()).isEqualTo("spark-executor-2")));
    }
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(framework(appId)).isNull());
  }

  @Test
  void executorsComeAndGoAsSparkAsksForThem() throws Exception {
    SparkConf conf = conf("terrace://" + leaderHostPort(), "elastic").set("spark.executor.instances", "1")
        .set("spark.scheduler.minRegisteredResourcesRatio", "0");
    String appId;
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      appId = sc.sc().applicationId();
      await().atMost(Duration.ofSeconds(60)).until(() -> sc.sc().getExecutorIds().size() == 1);
      assertThat(tasks(framework(appId), "tasks")).hasSize(1);

      // What dynamic allocation does when work piles up: ask for more executors in total.
      assertThat(sc.sc().requestTotalExecutors(2, 0, scala.collection.immutable.Map$.MODULE$.empty())).isTrue();
      await().atMost(Duration.ofSeconds(60)).until(() -> sc.sc().getExecutorIds().size() == 2);
      assertThat(tasks(framework(appId), "tasks")).hasSize(2);

      // ... and when executors sit idle: kill one; it is not replaced.
      assertThat(sc.sc().killExecutor("0")).isTrue();
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
        JsonNode fw = framework(appId);
        assertThat(tasks(fw, "tasks")).extracting(t -> t.path("id").asText()).containsExactly("spark-executor-1");
        assertThat(tasks(fw, "completed_tasks")).anySatisfy(t -> {
          assertThat(t.path("id").asText()).isEqualTo("spark-executor-0");
          assertThat(t.path("state").asText()).isEqualTo("TASK_KILLED");
        });
      });
      assertThat(sc.parallelize(List.of(1, 2, 3), 3).map(x -> x * 2).reduce(Integer::sum)).isEqualTo(12);
      assertThat(tasks(framework(appId), "tasks")).hasSize(1);
    }
  }

  @Test
  void sparkSubmitRunsSparkPiWithItsDriverInAProcessOfItsOwn(@TempDir Path dir) throws Exception {
    // The launcher behind `terrace spark-submit`, on this JVM's classpath (which holds Spark and
    // Terrace's Spark module, as frameworks/spark/target/lib does for the CLI).
    Path out = dir.resolve("out");
    String appJar = Path.of(SparkPi.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    Process submit = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.terrace.spark.submit.SparkSubmit",
        "--master", cluster.leader().orElseThrow().url(), "--class", SparkPi.class.getName(),
        "--name", "submitted-pi", "--driver-memory", "512m", "--executor-memory", "512m",
        "--total-executor-cores", "2", "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.ui.enabled=false", appJar, "4")
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    try {
      assertThat(submit.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } finally {
      submit.destroyForcibly();
    }
    String output = Files.readString(out);
    assertThat(submit.exitValue()).as(output).isZero();
    assertThat(output).containsPattern("Pi is roughly 3\\.1[0-9]*");
    JsonNode done = StreamSupport.stream(state().path("completed_frameworks").spliterator(), false)
        .filter(f -> f.path("name").asText().equals("submitted-pi")).findFirst().orElseThrow();
    assertThat(tasks(done, "completed_tasks")).isNotEmpty()
        .allSatisfy(t -> assertThat(t.path("name").asText()).startsWith("spark executor "));
  }

  @Test
  void clusterModeRunsTheDriverAsATerraceTaskFromAJarServedOverHttp(@TempDir Path dir) throws Exception {
    Path jar = ClusterModeFixtures.jarOf(dir.resolve("shipped-app.jar"), ShippedApp.class);
    HttpServer files = ClusterModeFixtures.serve(jar);
    try {
      String url = "http://127.0.0.1:" + files.getAddress().getPort() + "/apps/shipped-app.jar";
      // One agent holds the driver (512m + 128m), the other the one executor (512m + 384m).
      ClusterModeFixtures.Submitted run = ClusterModeFixtures.submit(dir, "--master",
          cluster.leader().orElseThrow().url(), "--deploy-mode", "cluster", "--class", ShippedApp.class.getName(),
          "--name", "shipped-pi", "--driver-memory", "512m", "--conf", "spark.driver.memoryOverhead=128m",
          "--executor-memory", "512m", "--total-executor-cores", "1", "--conf", "spark.ui.enabled=false", url, "4");
      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.output()).contains("driver TASK_RUNNING", "driver TASK_FINISHED", "Sum of squares: 338350")
          .containsPattern("Pi is roughly 3\\.1[0-9]*");
    } finally {
      files.stop(0);
    }
    JsonNode launcher = completedFramework("spark driver launcher (shipped-pi)");
    assertThat(tasks(launcher, "completed_tasks")).singleElement().satisfies(t -> {
      assertThat(t.path("id").asText()).isEqualTo("spark-driver");
      assertThat(t.path("state").asText()).isEqualTo("TASK_FINISHED");
      assertThat(t.path("resources").path("mem").asDouble()).isEqualTo(512 + 128);
    });
    JsonNode app = completedFramework("shipped-pi");
    assertThat(tasks(app, "completed_tasks")).isNotEmpty()
        .allSatisfy(t -> assertThat(t.path("name").asText()).startsWith("spark executor "));
    assertThat(tasks(app, "completed_tasks").get(0).path("slave_id").asText())
        .isNotEqualTo(tasks(launcher, "completed_tasks").get(0).path("slave_id").asText());
  }

  @Test
  void aClusterModeDriverThatFailsMakesSubmitFail(@TempDir Path dir) throws Exception {
    String appJar = Path.of(SparkPi.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    ClusterModeFixtures.Submitted run = ClusterModeFixtures.submit(dir, "--master",
        cluster.leader().orElseThrow().url(), "--deploy-mode", "cluster", "--class", "dev.terrace.spark.NoSuchApp",
        "--name", "no-such-app", "--driver-memory", "256m", appJar);
    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output()).contains("driver TASK_FAILED", "dev.terrace.spark.NoSuchApp");
    assertThat(tasks(completedFramework("spark driver launcher (no-such-app)"), "completed_tasks"))
        .singleElement().satisfies(t -> assertThat(t.path("state").asText()).isEqualTo("TASK_FAILED"));
  }

  private static JsonNode completedFramework(String name) throws Exception {
    return StreamSupport.stream(state().path("completed_frameworks").spliterator(), false)
        .filter(f -> f.path("name").asText().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void constraintsKeepExecutorsOnAgentsWithMatchingAttributesAndTheRoleIsTheFrameworks(@TempDir Path dir)
      throws Exception {
    AgentServer zoned = AgentServer.start(new AgentConfig(cluster.zkUrl(), "127.0.0.1", "127.0.0.1", 0, dir,
        "cpus:2;mem:1024;disk:1024", "zone:b", "auto", false), Containerizers.hostProcesses().apply(dir),
        Duration.ofSeconds(10));
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> zoned.agent().agentId() != null);
      SparkConf conf = conf("terrace://" + leaderHostPort(), "zoned").set("spark.terrace.constraints", "zone:b,c")
          .set("spark.cores.max", "1").set("spark.terrace.role", "etl");
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        assertThat(sc.parallelize(List.of(1, 2, 3), 3).reduce(Integer::sum)).isEqualTo(6);
        JsonNode fw = framework(sc.sc().applicationId());
        assertThat(fw.path("roles").toString()).isEqualTo("[\"etl\"]");
        assertThat(tasks(fw, "tasks")).singleElement().satisfies(t -> {
          assertThat(t.path("slave_id").asText()).isEqualTo(zoned.agent().agentId().value());
          assertThat(t.path("role").asText()).isEqualTo("etl");
        });
      }
    } finally {
      zoned.close();
    }
  }

  @Test
  void anAgentWhereExecutorsKeepFailingGetsNoMore() throws Exception {
    // Two 512m executors fit on one agent here; maxAgentFailures 1 rules an agent out at once.
    SparkConf conf = conf("terrace://" + leaderHostPort(), "picky").set("spark.executor.memoryOverhead", "0")
        .set("spark.terrace.executor.maxAgentFailures", "1");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      String appId = sc.sc().applicationId();
      await().atMost(Duration.ofSeconds(60)).until(() -> executorProcesses().size() == 2);
      Map<String, String> agentOf = tasks(framework(appId), "tasks").stream().collect(Collectors.toMap(
          t -> t.path("id").asText().replace("spark-executor-", ""), t -> t.path("slave_id").asText()));
      String victim = executorProcesses().keySet().iterator().next();
      String badAgent = agentOf.get(victim);
      executorProcesses().get(victim).destroyForcibly();

      // The replacement goes to the other agent, although the failed one has room for it (whether
      // the two executors started on one agent or on both).
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
          assertThat(tasks(framework(appId), "tasks")).anySatisfy(t -> {
            assertThat(t.path("id").asText()).isEqualTo("spark-executor-2");
            assertThat(t.path("slave_id").asText()).isNotEqualTo(badAgent);
          }));
      assertThat(sc.parallelize(List.of(1, 2, 3, 4), 4).reduce(Integer::sum)).isEqualTo(10);
    }
  }

  @Test
  void aMalformedMasterUrlIsRefusedWithTheFormsAccepted() {
    assertThatThrownBy(() -> new JavaSparkContext(conf("terrace://zk://nohostorpath", "bad")))
        .hasStackTraceContaining("expected terrace://host:port or terrace://zk://host:2181/terrace");
  }

  /** The executor JVMs the agents started (children of this JVM, as host processes) by executor id. */
  static Map<String, ProcessHandle> executorProcesses() {
    Map<String, ProcessHandle> byId = new TreeMap<>();
    ProcessHandle.current().children().forEach(p -> {
      try {
        // Read from /proc: ProcessHandle.Info drops the arguments of long command lines.
        List<String> argv = List.of(new String(Files.readAllBytes(
            Path.of("/proc", Long.toString(p.pid()), "cmdline"))).split("\0"));
        int id = argv.indexOf("--executor-id");
        if (argv.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend") && id > 0) {
          byId.put(argv.get(id + 1), p);
        }
      } catch (java.io.IOException e) {
        // exited meanwhile
      }
    });
    return byId;
  }
}
