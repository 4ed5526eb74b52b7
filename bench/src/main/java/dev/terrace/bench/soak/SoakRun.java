package dev.terrace.bench.soak;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.master.MasterServer;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The soak: an embedded ZooKeeper, in-process masters, simulated agents and SDK frameworks, with a
 * chaos loop killing the leading master and crashing agents at random while tasks stream through;
 * then launching stops, every outstanding task is given time to end, and the books are compared.
 */
final class SoakRun {
  private static final long MB = 1024 * 1024;
  /**
   * Seconds without an end heard before a framework asks about a task: long while launching (an
   * agent may be down for 5 s, a failover takes a few), short in the drain, when nothing new is in
   * flight and simulated tasks last 3 s at most.
   */
  private static final double STALE_WHILE_LAUNCHING = 20;
  private static final double STALE_WHILE_DRAINING = 5;

  private final SoakOptions options;
  private final Random chaos;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private int masterKills;
  private int agentKills;

  SoakRun(SoakOptions options) {
    this.options = options;
    this.chaos = new Random(options.seed() + 1);
  }

  SoakResult run() throws Exception {
    Path dir = Files.createTempDirectory("terrace-soak");
    Ledger ledger = new Ledger(options.frameworks());
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(0, dir.resolve("zk")).start();
        SoakMasters masters = new SoakMasters("zk://" + zk.connectString() + "/terrace", dir)) {
      String zkUrl = "zk://" + zk.connectString() + "/terrace";
      masters.start(options.masters());
      masters.awaitLeader(60_000);
      try (SoakAgents agents = new SoakAgents(options.agents(), options.agentResources(), masters::leader,
          ledger, options.seed(), options.taskMinMillis(), options.taskMaxMillis())) {
        agents.start();
        List<SoakFramework> frameworks = new ArrayList<>();
        try {
          for (int i = 0; i < options.frameworks(); i++) {
            frameworks.add(new SoakFramework(i, zkUrl, options.tasksPerFramework(), ledger).start());
          }
          return soak(masters, agents, frameworks, ledger);
        } finally {
          frameworks.forEach(SoakFramework::close);
        }
      }
    } finally {
      deleteQuietly(dir);
    }
  }

  private SoakResult soak(SoakMasters masters, SoakAgents agents, List<SoakFramework> frameworks, Ledger ledger)
      throws Exception {
    long start = System.nanoTime();
    long end = start + seconds(options.seconds());
    long warm = start + seconds(options.warmupSeconds());
    long nextMasterKill = warm + randomWait(options.masterKillSeconds());
    long nextAgentKill = warm + randomWait(options.agentKillSeconds());
    long nextReconcile = start + seconds(10);
    long nextSample = start + seconds(options.stateSampleSeconds());
    long nextProgress = start + seconds(30);
    Long heapStart = null;
    while (System.nanoTime() < end) {
      long now = System.nanoTime();
      if (heapStart == null && now >= warm) {
        heapStart = heapAfterGc();
        log("warm-up done: heap %d MB after GC", heapStart / MB);
      }
      if (now >= nextMasterKill) {
        MasterServer killed = masters.killLeader(agents::masterKilled);
        if (killed != null) {
          masterKills++;
          log("killed the leading master %s (kill %d)", killed.info().id(), masterKills);
        }
        nextMasterKill = System.nanoTime() + randomWait(options.masterKillSeconds());
      }
      if (now >= nextAgentKill) {
        if (agents.crashRandomAgent(options.agentDownMinMillis()
            + chaos.nextInt(options.agentDownMaxMillis() - options.agentDownMinMillis() + 1)) != null) {
          agentKills++;
        }
        nextAgentKill = now + randomWait(options.agentKillSeconds());
      }
      if (now >= nextReconcile) {
        frameworks.forEach(f -> f.reconcileStale(STALE_WHILE_LAUNCHING));
        nextReconcile = now + seconds(10);
      }
      if (now >= nextSample) {
        sampleLeaderState(masters.leader(), ledger);
        nextSample = System.nanoTime() + seconds(options.stateSampleSeconds());
      }
      if (now >= nextProgress) {
        SoakFramework.Tally t = tally(frameworks);
        log("%.0f s: %d launched, %d finished, %d outstanding, %d master kills, %d agent kills",
            (now - start) / 1e9, t.launched(), t.finished(), t.outstanding(), masterKills, agentKills);
        nextProgress = now + seconds(30);
      }
      Thread.sleep(50);
    }
    if (heapStart == null) {
      heapStart = heapAfterGc();
    }
    frameworks.forEach(SoakFramework::drain);
    double drained = drain(masters, agents, frameworks, ledger);
    sampleLeaderState(masters.leader(), ledger);
    long heapEnd = heapAfterGc();
    return new SoakResult(options, masterKills, agentKills, tally(frameworks), ledger.doubleLaunches(),
        ledger.agentOvercommits(), ledger.leaderOvercommits(), ledger.leaderSamples(), heapStart, heapEnd,
        drained, ledger.examples());
  }

  /** Waits for every task to end and every update to be acknowledged; the seconds it took. */
  private double drain(SoakMasters masters, SoakAgents agents, List<SoakFramework> frameworks, Ledger ledger)
      throws Exception {
    long start = System.nanoTime();
    long deadline = start + seconds(options.drainSeconds());
    long nextReconcile = start + seconds(5);
    while (System.nanoTime() < deadline) {
      if (tally(frameworks).outstanding() == 0 && agents.unacknowledged() == 0 && agents.down() == 0) {
        break;
      }
      if (System.nanoTime() >= nextReconcile) {
        frameworks.forEach(f -> f.reconcileStale(STALE_WHILE_DRAINING));
        nextReconcile = System.nanoTime() + seconds(5);
      }
      Thread.sleep(100);
    }
    double took = (System.nanoTime() - start) / 1e9;
    log("drained in %.1f s (%d outstanding, %d updates unacknowledged)", took, tally(frameworks).outstanding(),
        agents.unacknowledged());
    return took;
  }

  private static SoakFramework.Tally tally(List<SoakFramework> frameworks) {
    return SoakFramework.Tally.sum(frameworks.stream().map(SoakFramework::tally).toList());
  }

  /** Per agent in the leader's /master/state: used + offered must fit in the agent's total. */
  private void sampleLeaderState(MasterServer leader, Ledger ledger) {
    if (leader == null) {
      return;
    }
    JsonNode state;
    try {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(leader.url() + "/master/state"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        return; // lost leadership meanwhile
      }
      state = Json.mapper().readTree(r.body());
    } catch (Exception e) {
      return; // killed meanwhile
    }
    List<String> over = new ArrayList<>();
    for (JsonNode agent : state.path("slaves")) {
      for (String name : List.of("cpus", "mem")) {
        double total = agent.path("resources").path(name).asDouble();
        double used = agent.path("used_resources").path(name).asDouble()
            + agent.path("offered_resources").path(name).asDouble();
        if (used > total + 1e-6) {
          over.add(agent.path("id").asText() + " (" + name + " " + used + " > " + total + ")");
        }
      }
    }
    ledger.leaderSampled(over);
  }

  private long randomWait(double meanSeconds) {
    return (long) (meanSeconds * (0.5 + chaos.nextDouble()) * 1e9);
  }

  private static long seconds(double s) {
    return (long) (s * 1e9);
  }

  static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "soak: " + format + "%n", args);
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      log("could not delete %s: %s", dir, e);
    }
  }
}
