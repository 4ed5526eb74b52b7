package dev.terrace.bench.state;

import dev.terrace.bench.failover.SimulatedAgents;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The operator endpoints at scale: a real master with N simulated agents, each with T running
 * tasks (the master's real agent protocol), then R timed GETs of {@code /master/state}, of
 * {@code /master/state-summary} and of the operator API's GET_STATE, each read whole over HTTP.
 * Prints one line per endpoint and a JSON summary last. Mesos 1.7 took about 3 s for
 * {@code /master/state} at 10,000 agents and 100,000 tasks (the figure).
 *
 * <p>Usage: {@code StateEndpointBenchmark [--agents N] [--tasks-per-agent T] [--rounds R]}
 */
public final class StateEndpointBenchmark {
  private StateEndpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    int agents = intArg(args, "--agents", 10_000);
    int tasksPerAgent = intArg(args, "--tasks-per-agent", 10);
    int rounds = intArg(args, "--rounds", 7);
    Path dir = Files.createTempDirectory("terrace-state-bench");
    FrameworkInfo framework = new FrameworkInfo("bench", "bench-framework", FrameworkId.of("bench-fw"),
        3600.0, true, null, List.of(), null, null, null, null, null);
    SimulatedAgents sim = new SimulatedAgents(agents, tasksPerAgent, framework);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    StringBuilder json = new StringBuilder();
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(0, dir.resolve("zk")).start()) {
      MasterServer master = MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1")
          .bindHost("127.0.0.1").port(0).workDir(dir.resolve("master"))
          .zkUrl("zk://" + zk.connectString() + "/terrace").build());
      long deadline = System.currentTimeMillis() + 60_000;
      while (!master.isLeader() && System.currentTimeMillis() < deadline) {
        Thread.sleep(5);
      }
      sim.registerAll(master, 600);
      System.err.printf("%d agents / %d tasks registered%n", agents, agents * tasksPerAgent);
      String base = master.url();
      for (String[] endpoint : List.of(new String[] {"state", "GET", "/master/state"},
          new String[] {"state_summary", "GET", "/master/state-summary"},
          new String[] {"operator_get_state", "POST", "/api/v1"})) {
        double[] ms = new double[rounds];
        long bytes = 0;
        for (int r = 0; r < rounds; r++) {
          HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + endpoint[2]));
          if (endpoint[1].equals("POST")) {
            req.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"GET_STATE\"}"));
          }
          long start = System.nanoTime();
          HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
          ms[r] = (System.nanoTime() - start) / 1e6;
          bytes = resp.body().length;
          if (resp.statusCode() != 200) {
            throw new IllegalStateException(endpoint[2] + " answered " + resp.statusCode());
          }
        }
        double[] sorted = Arrays.stream(ms).sorted().toArray();
        System.err.printf(Locale.ROOT, "%-20s median %.0f ms, best %.0f ms, %.1f MB%n", endpoint[0],
            sorted[rounds / 2], sorted[0], bytes / 1e6);
        json.append(String.format(Locale.ROOT, ",\"%s_ms_median\":%.1f,\"%s_ms_best\":%.1f,\"%s_mb\":%.1f",
            endpoint[0], sorted[rounds / 2], endpoint[0], sorted[0], endpoint[0], bytes / 1e6));
      }
      master.close();
    }
    System.out.printf(Locale.ROOT, "{\"benchmark\":\"state\",\"agents\":%d,\"tasks\":%d,\"rounds\":%d%s}%n",
        agents, agents * tasksPerAgent, rounds, json);
    System.exit(0);
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
