package dev.terrace.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.runtime.Binaries;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's "done when": {@code terrace run --image REGISTRY/library/busybox:1.35 -- sh -c
 * 'hostname; cat <memory limit>'} against a real registry (Debian's docker-registry on loopback,
 * holding the busybox image the fixtures build) and a real agent (OCI containerizer, crun, cgroups):
 * the task runs in the image, under its own hostname, with the limits it asked for.
 */
@Tag("linux")
class RunImageLinuxTest {

  @Test
  void runsAnImageFromARegistryWithTheLimitsShown() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    Assumptions.assumeTrue(Binaries.find("crun").isPresent() || Binaries.find("runc").isPresent(),
        "needs crun or runc");
    Assumptions.assumeTrue(SharedRegistry.available(), "needs docker-registry, busybox-static");
    String image = SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG);
    try (InProcessCluster cluster = InProcessCluster.builder().agents(1)
        .agentResources("cpus:1;mem:256").containerizer(Containerizers.real()).start()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      RunSpec spec = new RunSpec(cluster.awaitLeader().url(), 0.5, 48, "image-limits", Map.of(),
          Duration.ofSeconds(120), List.of("echo HOST=$(hostname);"
              + " echo MEM=$(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null"
              + " || cat /sys/fs/cgroup/memory.max);"
              + " echo CPU=$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null"
              + " || cut -d' ' -f1 /sys/fs/cgroup/cpu.max);"
              + " echo VAR=$IMAGE_VAR"), image);

      int code = new TaskRunner(spec, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8)).run();

      String stdout = out.toString(StandardCharsets.UTF_8);
      assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(line(stdout, "HOST=")).isNotEmpty()
          .isNotEqualTo(java.net.InetAddress.getLocalHost().getHostName());
      assertThat(Long.parseLong(line(stdout, "MEM="))).isEqualTo(48L << 20);
      assertThat(Long.parseLong(line(stdout, "CPU="))).isEqualTo(50_000); // 0.5 of a 100 ms period
      assertThat(line(stdout, "VAR=")).isEqualTo("from-image"); // the image's own Env
    }
  }

  private static String line(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
        .findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in:\n" + out));
  }
}
