package dev.terrace.bench.throughput;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Task throughput through the whole control plane: a real master (with ZooKeeper), N simulated
 * agents on its real agent protocol (tasks finish at once), and a framework on the SDK over the
 * real HTTP scheduler API that launches 0.1-cpu tasks on every offer as fast as offers come and
 * acknowledges every update. Reports sustained tasks launched→finished per second, p50/p99
 * offer-to-RUNNING latency and the master's heap. JSON summary last.
 *
 * <p>Usage: {@code ThroughputBenchmark [--agents N] [--seconds S] [--tasks-per-offer K]}
 */
public final class ThroughputBenchmark {
  private ThroughputBenchmark() {}

  public static void main(String[] args) throws Exception {
    int agents = arg(args, "--agents", 1000);
    int seconds = arg(args, "--seconds", 20);
    int perOffer = arg(args, "--tasks-per-offer", 50);
    Path dir = Files.createTempDirectory("terrace-throughput");
    AtomicLong finished = new AtomicLong();
    Map<TaskId, Long> launchedAt = new ConcurrentHashMap<>();
    List<Long> latenciesNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    SchedulerClient[] client = new SchedulerClient[1];
    AtomicLong nextTask = new AtomicLong();
    Scheduler scheduler = new Scheduler() {
      @Override
      public void subscribed(FrameworkId id, MasterInfo m) {}

      @Override
      public void offers(List<Offer> offers) {
        long now = System.nanoTime();
        for (Offer offer : offers) {
          Resources left = Resources.of(offer.resources());
          List<TaskInfo> tasks = new ArrayList<>();
          List<Resource> res = List.of(Resource.scalar("cpus", 0.1).withAllocationRole("*"),
              Resource.scalar("mem", 32).withAllocationRole("*"));
          Resources each = Resources.of(res);
          while (tasks.size() < perOffer && left.contains(each)) {
            TaskId id = TaskId.of("t" + nextTask.incrementAndGet());
            tasks.add(TaskInfo.command(id.value(), id, offer.agentId(), res, CommandInfo.shell("true")));
            launchedAt.put(id, now);
            left = left.minus(each);
          }
          // refuse_seconds 0: the unused rest of the offer may come back at the next allocation.
          client[0].accept(List.of(offer.id()), List.of(Operation.launch(tasks)), new Filters(0.0));
        }
      }

      @Override
      public void update(TaskStatus status) {
        if (status.state() == TaskState.TASK_RUNNING) {
          Long t0 = launchedAt.get(status.taskId());
          if (t0 != null) {
            latenciesNanos.add(System.nanoTime() - t0);
          }
        } else if (status.state() == TaskState.TASK_FINISHED) {
          launchedAt.remove(status.taskId());
          finished.incrementAndGet();
        }
      }
    };
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(0, dir.resolve("zk")).start()) {
      String zkUrl = "zk://" + zk.connectString() + "/terrace";
      MasterServer master = MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1")
          .bindHost("127.0.0.1").port(0).workDir(dir.resolve("master")).zkUrl(zkUrl).build());
      while (!master.isLeader()) {
        Thread.sleep(5);
      }
      SimulatedTaskAgents sim = new SimulatedTaskAgents();
      sim.start(master, agents);
      FrameworkInfo info = FrameworkInfo.of("bench", "throughput");
      client[0] = SchedulerClient.builder(master.url(), info, scheduler).build();
      client[0].start();
      Thread.sleep(3000); // warm-up, not measured
      long f0 = finished.get();
      latenciesNanos.clear();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long done = finished.get() - f0;
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long[] lat;
      synchronized (latenciesNanos) {
        lat = latenciesNanos.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      client[0].close();
      sim.close();
      master.close();
      double rate = done / elapsed;
      System.err.printf(Locale.ROOT, "%d agents: %.0f tasks/s launched->finished over %.1f s%n", agents, rate, elapsed);
      System.out.printf(Locale.ROOT, "{\"benchmark\":\"throughput\",\"agents\":%d,\"seconds\":%.1f,"
          + "\"tasks_per_second\":%.0f,\"offer_to_running_ms\":{\"p50\":%.1f,\"p99\":%.1f},"
          + "\"heap_used_mb_after\":%d}%n", agents, elapsed, rate, pct(lat, 0.50), pct(lat, 0.99),
          heap / (1024 * 1024));
    }
    System.exit(0);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
  }

  private static int arg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
