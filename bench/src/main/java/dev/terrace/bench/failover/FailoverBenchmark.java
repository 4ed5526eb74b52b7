package dev.terrace.bench.failover;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Failover to completion: N simulated agents with T tasks each run under master A; A goes away;
 * master B is elected; every agent re-registers with B with all its tasks. Measures the time from
 * B's election until the last agent is re-registered (the master's rebuild of the cluster), and
 * B's heap afterwards. One JSON summary is the last line printed.
 *
 * <p>Usage: {@code FailoverBenchmark [--agents N] [--tasks-per-agent T] [--rounds R]}
 */
public final class FailoverBenchmark {
  private FailoverBenchmark() {}

  public static void main(String[] args) throws Exception {
    int agents = intArg(args, "--agents", 10_000);
    int tasksPerAgent = intArg(args, "--tasks-per-agent", 10);
    int rounds = intArg(args, "--rounds", 3);
    Path dir = Files.createTempDirectory("terrace-failover-bench");
    FrameworkInfo framework = new FrameworkInfo("bench", "bench-framework", FrameworkId.of("bench-fw"),
        3600.0, true, null, List.of(), null, null, null, null, null);
    System.err.printf("building %d agents x %d tasks...%n", agents, tasksPerAgent);
    SimulatedAgents sim = new SimulatedAgents(agents, tasksPerAgent, framework);

    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(0, dir.resolve("zk")).start()) {
      String zkUrl = "zk://" + zk.connectString() + "/terrace";
      MasterServer leader = startMaster(zkUrl, dir, 0);
      awaitLeader(leader);
      sim.registerAll(leader, 600);
      System.err.printf("%d agents registered with the first leader%n", agents);
      double[] seconds = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        MasterServer standby = startMaster(zkUrl, dir, r + 1);
        leader.close();
        awaitLeader(standby);
        long start = System.nanoTime();
        sim.registerAll(standby, 600);
        seconds[r] = (System.nanoTime() - start) / 1e9;
        System.err.printf(Locale.ROOT, "round %d: %d agents / %d tasks re-registered in %.3f s%n",
            r + 1, agents, agents * tasksPerAgent, seconds[r]);
        leader = standby;
      }
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      leader.close();
      double best = java.util.Arrays.stream(seconds).min().orElse(0);
      double median = java.util.Arrays.stream(seconds).sorted().toArray()[rounds / 2];
      System.out.printf(Locale.ROOT,
          "{\"benchmark\":\"failover\",\"agents\":%d,\"tasks\":%d,\"rounds\":%d,"
              + "\"reregister_seconds_best\":%.3f,\"reregister_seconds_median\":%.3f,"
              + "\"heap_used_mb_after\":%d}%n",
          agents, agents * tasksPerAgent, rounds, best, median, heap / (1024 * 1024));
    }
    System.exit(0);
  }

  private static MasterServer startMaster(String zkUrl, Path dir, int n) throws Exception {
    return MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1").bindHost("127.0.0.1")
        .port(0).workDir(dir.resolve("master-" + n)).zkUrl(zkUrl).build());
  }

  private static void awaitLeader(MasterServer m) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!m.isLeader()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("no leader within 60 s");
      }
      Thread.sleep(5);
    }
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
