package dev.terrace.agent.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.containerizer.ContainerLaunch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OciSpecGeneratorTest {
  private static final Path ROOTFS = Path.of("/var/lib/terrace/containers/c1/rootfs");
  private static final Path SANDBOX = Path.of("/var/lib/terrace/sandboxes/t1");

  private final OciSpecGenerator generator =
      new OciSpecGenerator(new SpecOptions("/terrace", 20_000, true));

  private static ContainerLaunch launch(double cpus, long memory) {
    return new ContainerLaunch("c1", SANDBOX, List.of("/bin/sh", "-c", "echo hi"),
        Map.of("PATH", "/usr/bin:/bin", "MESOS_SANDBOX", "/mnt/mesos/sandbox"),
        cpus, memory, "task-host", null);
  }

  @Test
  void processRunsTheCommandInTheSandboxWithoutNewPrivileges() {
    JsonNode process = generator.generate(launch(1, 1 << 20), ROOTFS).get("process");

    assertThat(strings(process.get("args"))).containsExactly("/bin/sh", "-c", "echo hi");
    assertThat(strings(process.get("env")))
        .containsExactly("MESOS_SANDBOX=/mnt/mesos/sandbox", "PATH=/usr/bin:/bin");
    assertThat(process.get("cwd").asText()).isEqualTo("/mnt/mesos/sandbox");
    assertThat(process.get("noNewPrivileges").asBoolean()).isTrue();
    assertThat(process.get("terminal").asBoolean()).isFalse();
    assertThat(strings(process.at("/capabilities/bounding")))
        .containsExactlyElementsOf(LinuxDefaults.CAPABILITIES)
        .doesNotContain("CAP_SYS_ADMIN", "CAP_SYS_RESOURCE");
    assertThat(strings(process.at("/capabilities/effective")))
        .containsExactlyElementsOf(LinuxDefaults.CAPABILITIES);
    assertThat(process.get("rlimits")).hasSize(1);
    assertThat(process.at("/rlimits/0/type").asText()).isEqualTo("RLIMIT_NOFILE");
    assertThat(process.at("/rlimits/0/hard").asLong()).isEqualTo(20_000);
    assertThat(process.at("/rlimits/0/soft").asLong()).isEqualTo(20_000);
  }

  @Test
  void hostVolumesAreBoundWhereTheTaskAskedAfterTheSandbox() {
    ContainerLaunch launch = launch(1, 1 << 20).withVolumes(List.of(
        new ContainerLaunch.HostVolume("/var/lib/terrace/volumes/notebooks/alice", "/notebook", false),
        new ContainerLaunch.HostVolume("/var/lib/terrace/volumes/data", "/data", true)));
    JsonNode mounts = generator.generate(launch, ROOTFS).get("mounts");

    List<String> destinations = new ArrayList<>();
    mounts.forEach(m -> destinations.add(m.get("destination").asText()));
    assertThat(destinations).containsSubsequence("/mnt/mesos/sandbox", "/notebook", "/data");
    JsonNode notebook = mounts.get(destinations.indexOf("/notebook"));
    assertThat(notebook.get("source").asText()).isEqualTo("/var/lib/terrace/volumes/notebooks/alice");
    assertThat(strings(notebook.get("options"))).containsExactly("rbind", "rw");
    assertThat(strings(mounts.get(destinations.indexOf("/data")).get("options"))).containsExactly("rbind", "ro");
  }

  @Test
  void rootHostnameAndNamespaces() {
    ObjectNode spec = generator.generate(launch(1, 1 << 20), ROOTFS);

    assertThat(spec.at("/root/path").asText()).isEqualTo(ROOTFS.toString());
    assertThat(spec.get("hostname").asText()).isEqualTo("task-host");
    List<String> namespaces = new ArrayList<>();
    spec.at("/linux/namespaces").forEach(n -> namespaces.add(n.get("type").asText()));
    assertThat(namespaces).containsExactly("pid", "mount", "uts", "ipc", "cgroup");
    assertThat(namespaces).doesNotContain("network", "user");
  }

  @Test
  void aContainerOnANetworkJoinsItsNamespaceAndGetsItsEtcFiles() {
    ObjectNode spec = generator.generate(launch(1, 1 << 20), ROOTFS,
        new SpecNetwork("/w/network/netns/c1", Path.of("/w/containers/c1/etc")));

    JsonNode net = null;
    for (JsonNode n : spec.at("/linux/namespaces")) {
      if (n.get("type").asText().equals("network")) {
        net = n;
      }
    }
    assertThat(net).isNotNull();
    assertThat(net.get("path").asText()).isEqualTo("/w/network/netns/c1");
    java.util.Map<String, String> binds = new java.util.HashMap<>();
    spec.get("mounts").forEach(m -> binds.put(m.get("destination").asText(), m.get("source").asText()));
    assertThat(binds).containsEntry("/etc/hosts", "/w/containers/c1/etc/hosts")
        .containsEntry("/etc/hostname", "/w/containers/c1/etc/hostname")
        .containsEntry("/etc/resolv.conf", "/w/containers/c1/etc/resolv.conf");
  }

  @Test
  void cgroupNamespaceCanBeLeftOut() {
    ObjectNode spec = new OciSpecGenerator(new SpecOptions("/terrace", 1024, false))
        .generate(launch(1, 1 << 20), ROOTFS);
    List<String> namespaces = new ArrayList<>();
    spec.at("/linux/namespaces").forEach(n -> namespaces.add(n.get("type").asText()));
    assertThat(namespaces).containsExactly("pid", "mount", "uts", "ipc");
  }

  @Test
  void cgroupPathIsAbsoluteAndLimitsFollowTheLaunch() {
    JsonNode linux = generator.generate(launch(1.5, 64L << 20), ROOTFS).get("linux");

    assertThat(linux.get("cgroupsPath").asText()).isEqualTo("/terrace/c1");
    assertThat(linux.at("/resources/memory/limit").asLong()).isEqualTo(64L << 20);
    assertThat(linux.at("/resources/memory/swap").asLong()).isEqualTo(64L << 20);
    assertThat(linux.at("/resources/cpu/quota").asLong()).isEqualTo(150_000);
    assertThat(linux.at("/resources/cpu/period").asLong()).isEqualTo(100_000);
    assertThat(linux.at("/resources/devices/0/allow").asBoolean()).isFalse();
    assertThat(strings(linux.get("maskedPaths"))).contains("/proc/kcore", "/sys/firmware");
    assertThat(strings(linux.get("readonlyPaths"))).contains("/proc/sys", "/proc/sysrq-trigger");
  }

  @Test
  void cpuQuotaIsRoundedAndHasAFloor() {
    assertThat(OciSpecGenerator.cpuQuota(0.333333)).isEqualTo(33_333);
    assertThat(OciSpecGenerator.cpuQuota(0.001)).isEqualTo(1_000);
    assertThat(OciSpecGenerator.cpuQuota(4)).isEqualTo(400_000);
  }

  @Test
  void noLimitsWhenNoneRequested() {
    JsonNode resources = generator.generate(launch(0, 0), ROOTFS).at("/linux/resources");
    assertThat(resources.has("memory")).isFalse();
    assertThat(resources.has("cpu")).isFalse();
  }

  @Test
  void mountsGiveTheTaskItsOwnKernelViewsTmpAndTheSandbox() {
    JsonNode mounts = generator.generate(launch(1, 1 << 20), ROOTFS).get("mounts");
    List<String> destinations = new ArrayList<>();
    mounts.forEach(m -> destinations.add(m.get("destination").asText()));

    assertThat(destinations).containsExactly("/proc", "/dev", "/dev/pts", "/dev/shm",
        "/dev/mqueue", "/sys", "/sys/fs/cgroup", "/tmp", "/mnt/mesos/sandbox");
    JsonNode sandbox = mounts.get(8);
    assertThat(sandbox.get("type").asText()).isEqualTo("bind");
    assertThat(sandbox.get("source").asText()).isEqualTo(SANDBOX.toString());
    assertThat(strings(sandbox.get("options"))).contains("rbind", "rw");
    assertThat(strings(mounts.get(5).get("options"))).contains("ro");
    assertThat(strings(mounts.get(6).get("options"))).contains("ro");
    assertThat(mounts.get(7).get("type").asText()).isEqualTo("tmpfs");
  }

  @Test
  void sameLaunchGivesTheSameSpec() {
    assertThat(generator.generate(launch(1, 1 << 20), ROOTFS))
        .isEqualTo(generator.generate(launch(1, 1 << 20), ROOTFS));
  }

  @Test
  void relativeCgroupParentIsRejected() {
    assertThatThrownBy(() -> new SpecOptions("terrace", 1024, true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
