package dev.terrace.bench.failover;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Leader failover as an operator sees it: three `terrace master` processes, an agent and a
 * subscribed framework; SIGKILL the leading master's process and time until the framework
 * receives its first offer from the new leader. Default settings (4 s ZooKeeper session).
 * One JSON summary is the last line printed.
 *
 * <p>Usage: {@code LeaderFailoverBenchmark [--rounds R]}
 */
public final class LeaderFailoverBenchmark {
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .connectTimeout(Duration.ofSeconds(1)).build();
  private final List<Process> masters = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    int rounds = 3;
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals("--rounds")) {
        rounds = Integer.parseInt(args[i + 1]);
      }
    }
    new LeaderFailoverBenchmark().run(rounds);
    System.exit(0);
  }

  private void run(int rounds) throws Exception {
    double[] seconds = new double[rounds];
    try (InProcessCluster cluster = InProcessCluster.builder().masters(0)
        .containerizer(Containerizers.hostProcesses()).start()) {
      for (int i = 0; i < rounds + 2; i++) {
        startMaster(cluster.zkUrl(), cluster.workDir().resolve("m" + i));
      }
      waitFor(() -> leader() >= 0, 60);
      BlockingQueue<Long> offerTimes = new LinkedBlockingQueue<>();
      Scheduler scheduler = new Scheduler() {
        @Override
        public void subscribed(dev.terrace.common.model.FrameworkId id, dev.terrace.common.model.MasterInfo m) {}

        @Override
        public void offers(List<Offer> offers) {
          offerTimes.add(System.nanoTime());
        }

        @Override
        public void update(dev.terrace.common.model.TaskStatus status) {}
      };
      FrameworkInfo info = new FrameworkInfo("bench", "failover-bench", null, 600.0, true, null,
          List.of(), null, null, null, null, null);
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(), info, scheduler).build().start()) {
        offerTimes.poll(60, TimeUnit.SECONDS);
        for (int r = 0; r < rounds; r++) {
          int old = leader();
          offerTimes.clear();
          long killed = System.nanoTime();
          masters.get(old).destroyForcibly().waitFor();
          Long first = offerTimes.poll(60, TimeUnit.SECONDS);
          if (first == null) {
            throw new IllegalStateException("no offer from a new leader within 60 s");
          }
          seconds[r] = (first - killed) / 1e9;
          System.err.printf(Locale.ROOT, "round %d: first offer from the new leader %.2f s after kill -9%n",
              r + 1, seconds[r]);
          waitFor(() -> leader() >= 0, 60);
        }
        client.teardown();
      }
    } finally {
      masters.forEach(Process::destroyForcibly);
    }
    double[] sorted = Arrays.stream(seconds).sorted().toArray();
    System.out.printf(Locale.ROOT, "{\"benchmark\":\"leader-failover\",\"rounds\":%d,"
        + "\"kill_to_first_offer_seconds_best\":%.2f,\"kill_to_first_offer_seconds_median\":%.2f,"
        + "\"kill_to_first_offer_seconds_worst\":%.2f}%n",
        rounds, sorted[0], sorted[rounds / 2], sorted[rounds - 1]);
  }

  private void startMaster(String zkUrl, Path dir) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    masters.add(new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "dev.terrace.cli.Terrace", "master", "--zk", zkUrl, "--port", Integer.toString(port),
        "--hostname", "127.0.0.1", "--ip", "127.0.0.1", "--work-dir", dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("master.log").toFile()).start());
    ports.add(port);
  }

  private int leader() {
    for (int i = 0; i < masters.size(); i++) {
      if (!masters.get(i).isAlive()) {
        continue;
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + ports.get(i) + "/master/state")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return i;
        }
      } catch (Exception e) {
        // not up
      }
    }
    return -1;
  }

  private static void waitFor(java.util.function.BooleanSupplier cond, int seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!cond.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("timed out");
      }
      Thread.sleep(20);
    }
  }
}
