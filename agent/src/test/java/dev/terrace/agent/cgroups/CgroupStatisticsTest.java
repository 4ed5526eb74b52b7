package dev.terrace.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage counters read from fake v1 and v2 cgroup trees, as the kernel writes them. */
class CgroupStatisticsTest {
  @TempDir Path root;

  @Test
  void v2ReadsCpuMemoryAndPids() throws IOException {
    Path leaf = Files.createDirectories(root.resolve("terrace/c1"));
    Files.writeString(leaf.resolve("cpu.stat"), "usage_usec 3500000\nuser_usec 2500000\n"
        + "system_usec 1000000\nnr_periods 40\nnr_throttled 7\nthrottled_usec 250000\n");
    Files.writeString(leaf.resolve("cpu.max"), "50000 100000\n");
    Files.writeString(leaf.resolve("memory.current"), "10485760\n");
    Files.writeString(leaf.resolve("memory.max"), "33554432\n");
    Files.writeString(leaf.resolve("memory.peak"), "20971520\n");
    Files.writeString(leaf.resolve("memory.stat"), "anon 4194304\nfile 6291456\n");
    Files.writeString(leaf.resolve("pids.current"), "3\n");

    ResourceStatistics s = new V2CgroupManager(root).statistics("/terrace/c1");

    assertThat(s).isEqualTo(new ResourceStatistics(2.5, 1.0, 0.5, 40, 7, 0.25,
        4L << 20, 10L << 20, 32L << 20, 20L << 20, 3));
  }

  @Test
  void v2WithoutLimitsReportsThemAbsent() throws IOException {
    Path leaf = Files.createDirectories(root.resolve("terrace/c1"));
    Files.writeString(leaf.resolve("cpu.max"), "max 100000\n");
    Files.writeString(leaf.resolve("memory.max"), "max\n");
    Files.writeString(leaf.resolve("memory.current"), "4096\n");

    ResourceStatistics s = new V2CgroupManager(root).statistics("/terrace/c1");

    assertThat(s.cpusLimit()).isEqualTo(-1);
    assertThat(s.memLimitBytes()).isEqualTo(-1);
    assertThat(s.memMaxBytes()).isEqualTo(-1); // memory.peak needs Linux 5.19
    assertThat(s.memTotalBytes()).isEqualTo(4096);
    assertThat(s.processes()).isEqualTo(-1);
  }

  @Test
  void v1ReadsEachControllerFromItsHierarchy() throws IOException {
    Path cpu = root.resolve("cpu,cpuacct");
    Path memory = root.resolve("memory");
    Path pids = root.resolve("pids");
    Path cpuLeaf = Files.createDirectories(cpu.resolve("terrace/c1"));
    Path memLeaf = Files.createDirectories(memory.resolve("terrace/c1"));
    Path pidsLeaf = Files.createDirectories(pids.resolve("terrace/c1"));
    Files.writeString(cpuLeaf.resolve("cpuacct.stat"), "user 250\nsystem 100\n");
    Files.writeString(cpuLeaf.resolve("cpu.stat"),
        "nr_periods 40\nnr_throttled 7\nthrottled_time 250000000\n");
    Files.writeString(cpuLeaf.resolve("cpu.cfs_quota_us"), "25000\n");
    Files.writeString(cpuLeaf.resolve("cpu.cfs_period_us"), "100000\n");
    Files.writeString(memLeaf.resolve("memory.usage_in_bytes"), "10485760\n");
    Files.writeString(memLeaf.resolve("memory.limit_in_bytes"), "33554432\n");
    Files.writeString(memLeaf.resolve("memory.max_usage_in_bytes"), "20971520\n");
    Files.writeString(memLeaf.resolve("memory.stat"), "cache 6291456\nrss 1048576\n"
        + "total_cache 6291456\ntotal_rss 4194304\n");
    Files.writeString(pidsLeaf.resolve("pids.current"), "2\n");
    V1CgroupManager v1 = new V1CgroupManager(new CgroupLayout(CgroupLayout.Mode.V1,
        Map.of("cpu", cpu, "cpuacct", cpu, "memory", memory, "pids", pids), null));

    ResourceStatistics s = v1.statistics("/terrace/c1");

    assertThat(s).isEqualTo(new ResourceStatistics(2.5, 1.0, 0.25, 40, 7, 0.25,
        4L << 20, 10L << 20, 32L << 20, 20L << 20, 2));
  }

  @Test
  void v1UnlimitedMemoryAndSharesOnly() throws IOException {
    Path cpu = root.resolve("cpu");
    Path memory = root.resolve("memory");
    Path cpuLeaf = Files.createDirectories(cpu.resolve("terrace/c1"));
    Path memLeaf = Files.createDirectories(memory.resolve("terrace/c1"));
    Files.writeString(cpuLeaf.resolve("cpu.cfs_quota_us"), "-1\n");
    Files.writeString(cpuLeaf.resolve("cpu.cfs_period_us"), "100000\n");
    Files.writeString(cpuLeaf.resolve("cpu.shares"), "512\n");
    Files.writeString(memLeaf.resolve("memory.limit_in_bytes"), "9223372036854771712\n");
    V1CgroupManager v1 = new V1CgroupManager(
        new CgroupLayout(CgroupLayout.Mode.V1, Map.of("cpu", cpu, "memory", memory), null));

    ResourceStatistics s = v1.statistics("/terrace/c1");

    assertThat(s.cpusLimit()).isEqualTo(0.5);
    assertThat(s.memLimitBytes()).isEqualTo(-1);
    assertThat(s.cpusUserTimeSecs()).isEqualTo(-1);
  }

  @Test
  void goneCgroupIsAnError() {
    assertThatThrownBy(() -> new V2CgroupManager(root).statistics("/terrace/gone"))
        .isInstanceOf(IOException.class).hasMessageContaining("gone");
    V1CgroupManager v1 = new V1CgroupManager(new CgroupLayout(CgroupLayout.Mode.V1,
        Map.of("memory", root.resolve("memory")), null));
    assertThatThrownBy(() -> v1.statistics("/terrace/gone")).isInstanceOf(IOException.class);
  }
}
