package dev.terrace.agent.cgroups;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {
  private static final String ROOT = "22 1 252:0 / / rw,relatime - ext4 /dev/vda rw";

  @Test
  void hybridHostWithSeparateCpuAndCpuacct() {
    CgroupLayout layout = CgroupLayout.parse(List.of(
        ROOT,
        "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu",
        "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct",
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
        "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd",
        "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw"));

    assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.HYBRID);
    assertThat(layout.v1Hierarchies()).containsKeys("cpu", "cpuacct", "memory", "name=systemd")
        .doesNotContainKey("rw");
    assertThat(layout.v1Hierarchies().get("memory")).isEqualTo(Path.of("/sys/fs/cgroup/memory"));
    assertThat(layout.unified()).isEqualTo(Path.of("/sys/fs/cgroup/unified"));
    assertThat(layout.hierarchyRoots()).hasSize(5).endsWith(Path.of("/sys/fs/cgroup/unified"));
  }

  @Test
  void pureV1WithCoMountedControllers() {
    CgroupLayout layout = CgroupLayout.parse(List.of(ROOT,
        "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:9 - cgroup cgroup "
            + "rw,cpu,cpuacct",
        "35 31 0:32 / /sys/fs/cgroup/memory rw,nosuid shared:12 - cgroup cgroup rw,memory"));

    assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.V1);
    assertThat(layout.v1Hierarchies().get("cpu")).isEqualTo(layout.v1Hierarchies().get("cpuacct"));
    assertThat(layout.hierarchyRoots()).hasSize(2);
  }

  @Test
  void pureV2() {
    CgroupLayout layout = CgroupLayout.parse(List.of(ROOT,
        "30 22 0:27 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 "
            + "rw,nsdelegate,memory_recursiveprot"));

    assertThat(layout.mode()).isEqualTo(CgroupLayout.Mode.V2);
    assertThat(layout.v1Hierarchies()).isEmpty();
    assertThat(layout.unified()).isEqualTo(Path.of("/sys/fs/cgroup"));
  }
}
