package dev.terrace.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and removal against fake cgroup trees in temporary directories. */
class CgroupManagerTest {
  @TempDir Path root;

  @Test
  void v1ReadsOomKillCounterAndUsage() throws IOException {
    Path memory = root.resolve("memory");
    Path leaf = Files.createDirectories(memory.resolve("terrace/c1"));
    Files.writeString(leaf.resolve("memory.oom_control"),
        "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
    Files.writeString(leaf.resolve("memory.failcnt"), "42\n");
    Files.writeString(leaf.resolve("memory.limit_in_bytes"), "33554432\n");
    Files.writeString(leaf.resolve("memory.max_usage_in_bytes"), "33554432\n");
    V1CgroupManager v1 = new V1CgroupManager(
        new CgroupLayout(CgroupLayout.Mode.V1, Map.of("memory", memory), null));

    MemoryEvidence evidence = v1.memoryEvidence("/terrace/c1");

    assertThat(evidence).isEqualTo(new MemoryEvidence(1, 42, 32L << 20, 32L << 20));
    assertThat(evidence.limitExceeded()).isTrue();
  }

  @Test
  void v1WithoutOomKillCounterFallsBackToFailcnt() throws IOException {
    Path memory = root.resolve("memory");
    Path leaf = Files.createDirectories(memory.resolve("terrace/c1"));
    Files.writeString(leaf.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\n");
    Files.writeString(leaf.resolve("memory.failcnt"), "3\n");
    Files.writeString(leaf.resolve("memory.limit_in_bytes"), "1048576\n");
    Files.writeString(leaf.resolve("memory.max_usage_in_bytes"), "1048576\n");
    V1CgroupManager v1 = new V1CgroupManager(
        new CgroupLayout(CgroupLayout.Mode.V1, Map.of("memory", memory), null));

    MemoryEvidence evidence = v1.memoryEvidence("/terrace/c1");

    assertThat(evidence.oomKills()).isEqualTo(-1);
    assertThat(evidence.limitExceeded()).isTrue();
  }

  @Test
  void v2ReadsMemoryEvents() throws IOException {
    Path leaf = Files.createDirectories(root.resolve("terrace/c1"));
    Files.writeString(leaf.resolve("memory.events"),
        "low 0\nhigh 0\nmax 17\noom 1\noom_kill 1\noom_group_kill 0\n");
    Files.writeString(leaf.resolve("memory.max"), "33554432\n");
    Files.writeString(leaf.resolve("memory.peak"), "33550336\n");

    MemoryEvidence evidence = new V2CgroupManager(root).memoryEvidence("/terrace/c1");

    assertThat(evidence).isEqualTo(new MemoryEvidence(1, 17, 32L << 20, 33550336));
    assertThat(evidence.limitExceeded()).isTrue();
  }

  @Test
  void v2WithoutLimitOrKills() throws IOException {
    Path leaf = Files.createDirectories(root.resolve("terrace/c1"));
    Files.writeString(leaf.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
    Files.writeString(leaf.resolve("memory.max"), "max\n");

    MemoryEvidence evidence = new V2CgroupManager(root).memoryEvidence("/terrace/c1");

    assertThat(evidence.limitBytes()).isEqualTo(-1);
    assertThat(evidence.maxUsageBytes()).isEqualTo(-1);
    assertThat(evidence.limitExceeded()).isFalse();
  }

  @Test
  void removeSweepsTheLeafFromEveryHierarchyAndKeepsTheParent() throws IOException {
    Path memory = root.resolve("memory");
    Path cpu = root.resolve("cpu");
    Path unified = root.resolve("unified");
    Files.createDirectories(memory.resolve("terrace/c1/nested"));
    Files.createDirectories(cpu.resolve("terrace/c1"));
    Files.createDirectories(unified.resolve("terrace/c2"));
    CgroupManager v1 = CgroupManager.forLayout(new CgroupLayout(CgroupLayout.Mode.HYBRID,
        Map.of("memory", memory, "cpu", cpu), unified));
    assertThat(v1.existing("/terrace/c1")).hasSize(2);

    v1.remove("/terrace/c1");

    assertThat(v1.existing("/terrace/c1")).isEmpty();
    assertThat(memory.resolve("terrace")).isDirectory();
    assertThat(unified.resolve("terrace/c2")).isDirectory();
  }

  @Test
  void pathsCannotEscapeTheHierarchy() {
    V2CgroupManager v2 = new V2CgroupManager(root);
    assertThatThrownBy(() -> v2.existing("/../etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v2.existing("/")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void v1ReclaimsThroughForceEmptyOfAnExistingMemoryCgroupOnly() throws IOException {
    Path memory = root.resolve("memory");
    Path leaf = Files.createDirectories(memory.resolve("terrace/c1"));
    Files.writeString(leaf.resolve("memory.force_empty"), "");
    V1CgroupManager v1 = new V1CgroupManager(
        new CgroupLayout(CgroupLayout.Mode.V1, Map.of("memory", memory), null));

    assertThat(v1.reclaimMemory("/terrace/c1")).isTrue();
    assertThat(leaf.resolve("memory.force_empty")).hasContent("0");
    assertThat(v1.reclaimMemory("/terrace/gone")).isFalse();
    assertThat(memory.resolve("terrace/gone")).doesNotExist();
  }

  @Test
  void v2ReclaimsWhatTheCgroupHoldsThroughMemoryReclaim() throws IOException {
    Path leaf = Files.createDirectories(root.resolve("terrace/c1"));
    Files.writeString(leaf.resolve("memory.current"), "1232896\n");
    Files.writeString(leaf.resolve("memory.reclaim"), "");
    Path empty = Files.createDirectories(root.resolve("terrace/c2"));
    Files.writeString(empty.resolve("memory.current"), "0\n");
    Path old = Files.createDirectories(root.resolve("terrace/c3")); // a kernel before 5.19
    Files.writeString(old.resolve("memory.current"), "4096\n");
    V2CgroupManager v2 = new V2CgroupManager(root);

    assertThat(v2.reclaimMemory("/terrace/c1")).isTrue();
    assertThat(leaf.resolve("memory.reclaim")).hasContent("1232896");
    assertThat(v2.reclaimMemory("/terrace/c2")).isTrue();
    assertThat(v2.reclaimMemory("/terrace/c3")).isFalse();
    assertThat(old.resolve("memory.reclaim")).doesNotExist();
  }
}
