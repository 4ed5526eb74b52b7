package dev.terrace.agent.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.sandbox.SandboxLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfinementTest {
  private static final Path WORK = Path.of("/var/lib/terrace/agent");
  private static final Path SANDBOX = WORK.resolve("agents/a1/frameworks/f1/executors/t1/runs/c1");
  private final OciSpecGenerator generator = new OciSpecGenerator(new SpecOptions("/terrace", 20_000, true),
      new Confinement(List.of("SCMP_ARCH_X86_64"), 77));

  private static ContainerLaunch launch(String image) {
    return new ContainerLaunch("c1", SANDBOX, List.of("/bin/true"), Map.of(), 1, 1 << 20, "h", image);
  }

  @Test
  void everySpecGetsSeccompAndAPidsLimit() {
    JsonNode linux = generator.generate(launch("busybox"), Path.of("/r")).get("linux");
    JsonNode seccomp = linux.get("seccomp");
    assertThat(seccomp.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ALLOW");
    assertThat(seccomp.get("architectures").get(0).asText()).isEqualTo("SCMP_ARCH_X86_64");
    JsonNode deny = seccomp.get("syscalls").get(0);
    assertThat(deny.get("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
    List<String> names = new ArrayList<>();
    deny.get("names").forEach(n -> names.add(n.asText()));
    assertThat(names).contains("unshare", "open_by_handle_at", "kexec_load", "bpf", "mount", "keyctl");
    assertThat(linux.get("resources").get("pids").get("limit").asLong()).isEqualTo(77);
  }

  @Test
  void onlyTasksInTheHostRootGetTheAgentWorkDirHidden() {
    assertThat(SandboxLayout.workDirOf(SANDBOX)).contains(WORK);
    assertThat(SandboxLayout.workDirOf(Path.of("/tmp/x"))).isEmpty();
    JsonNode hidden = mountAt(generator.generate(launch(null), Path.of("/r")), WORK.toString());
    assertThat(hidden == null ? null : hidden.get("type").asText()).isEqualTo("tmpfs");
    assertThat(mountAt(generator.generate(launch("busybox"), Path.of("/r")), WORK.toString()) == null).isTrue();
  }

  @Test
  void architecturesFollowTheJvm() {
    assertThat(Confinement.seccompArchitectures("amd64")).contains("SCMP_ARCH_X86_64");
    assertThat(Confinement.seccompArchitectures("aarch64")).contains("SCMP_ARCH_AARCH64");
  }

  private static JsonNode mountAt(JsonNode spec, String destination) {
    for (JsonNode m : spec.get("mounts")) {
      if (m.get("destination").asText().equals(destination)) {
        return m;
      }
    }
    return null;
  }
}
