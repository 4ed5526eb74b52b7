package dev.terrace.bench.allocator;

import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Full allocation cycles of the hierarchical DRF allocator over a cluster of N agents and M
 * frameworks in K roles (Mesos' allocator benchmark grid). Every cycle offers the whole cluster;
 * between cycles everything is recovered (not timed), so each cycle does the full work. Prints
 * one line per cycle to stderr and a JSON summary as the last line on stdout.
 *
 * <p>Usage: {@code AllocatorBenchmark --agents N --frameworks M [--roles K] [--quota] [--busy]
 * [--cycles C] [--warmup W]}. {@code --busy} puts one task on every agent, so each offer is a
 * remainder written out anew rather than the agent's whole resources as registered.
 */
public final class AllocatorBenchmark {
  private AllocatorBenchmark() {}

  public static void main(String[] args) {
    int agents = intArg(args, "--agents", 10_000);
    int frameworks = intArg(args, "--frameworks", 1_000);
    int roles = intArg(args, "--roles", 1);
    int cycles = intArg(args, "--cycles", 20);
    int warmup = intArg(args, "--warmup", 10);
    boolean quota = Arrays.asList(args).contains("--quota");
    boolean busy = Arrays.asList(args).contains("--busy");
    if (roles < 1 || frameworks < 1 || agents < 1 || cycles < 1) {
      throw new IllegalArgumentException("agents, frameworks, roles and cycles must be positive");
    }

    long buildStart = System.nanoTime();
    BenchCluster cluster = new BenchCluster(agents, frameworks, roles, quota, busy);
    System.err.printf(Locale.ROOT, "built %d agents, %d frameworks, %d roles%s%s in %.0f ms%n",
        agents, frameworks, roles, quota ? " with quota" : "", busy ? ", busy" : "", (System.nanoTime() - buildStart) / 1e6);

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    double[] ms = new double[cycles];
    long[] bytes = new long[cycles];
    long offers = 0;
    for (int i = -warmup; i < cycles; i++) {
      long allocatedBefore = threads.getThreadAllocatedBytes(self);
      long start = System.nanoTime();
      List<OfferDecision> decisions = cluster.cycle();
      long elapsed = System.nanoTime() - start;
      long allocated = threads.getThreadAllocatedBytes(self) - allocatedBefore;
      if (decisions.size() < Math.min(agents, frameworks)) {
        throw new IllegalStateException("a full cycle made only " + decisions.size() + " offers");
      }
      if (i >= 0) {
        ms[i] = elapsed / 1e6;
        bytes[i] = allocated;
        offers += decisions.size();
        System.err.printf(Locale.ROOT, "cycle %d: %d offers in %.2f ms, %d bytes allocated%n",
            i + 1, decisions.size(), ms[i], allocated);
      }
      cluster.recoverAll(decisions);
    }

    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    double median = sorted[cycles / 2];
    double p99 = sorted[Math.min(cycles - 1, (int) Math.ceil(cycles * 0.99) - 1)];
    double totalSeconds = Arrays.stream(ms).sum() / 1000;
    long[] sortedBytes = bytes.clone();
    Arrays.sort(sortedBytes);
    System.out.printf(Locale.ROOT,
        "{\"benchmark\":\"allocator\",\"agents\":%d,\"frameworks\":%d,\"roles\":%d,\"quota\":%b,\"busy\":%b,"
            + "\"cycles\":%d,\"cycle_ms\":{\"median\":%.2f,\"p99\":%.2f},"
            + "\"allocations_per_second\":%.0f,\"allocated_bytes_per_cycle\":%d}%n",
        agents, frameworks, roles, quota, busy, cycles, median, p99, offers / totalSeconds,
        sortedBytes[cycles / 2]);
  }

  private static int intArg(String[] args, String name, int def) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return def;
  }
}
