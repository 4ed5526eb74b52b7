package dev.terrace.bench.allocator;

import dev.terrace.master.allocator.Allocator.OfferDecision;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full allocation cycle (the whole cluster offered) of the hierarchical DRF allocator. The
 * previous cycle's offers are recovered outside the measurement, so every invocation allocates
 * the whole cluster. The {@code AllocatorBenchmark} driver covers the larger grid points.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class AllocatorCycleBenchmark {
  @Param({"1000", "10000"})
  public int agents;

  @Param({"100", "1000"})
  public int frameworks;

  @Param({"1", "10"})
  public int roles;

  private BenchCluster cluster;
  private List<OfferDecision> last = List.of();

  @Setup(Level.Trial)
  public void build() {
    cluster = new BenchCluster(agents, frameworks, roles, false);
  }

  /** Gives back the last cycle's offers (not measured) so the next cycle allocates everything. */
  @TearDown(Level.Invocation)
  public void recover() {
    cluster.recoverAll(last);
    last = List.of();
  }

  @Benchmark
  public List<OfferDecision> fullCycle() {
    last = cluster.cycle();
    return last;
  }
}
