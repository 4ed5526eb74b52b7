package dev.terrace.agent.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceDetectorTest {
  @TempDir
  Path workDir;

  private static Resource named(List<Resource> rs, String name) {
    return rs.stream().filter(r -> r.name().equals(name) && r.reservations().isEmpty()).findFirst()
        .orElseThrow();
  }

  @Test
  void detectsCpusMemDiskAndPorts() throws Exception {
    List<Resource> rs = ResourceDetector.detect(workDir, "");

    assertThat(rs).extracting(Resource::name).containsExactly("cpus", "mem", "disk", "ports");
    assertThat(named(rs, "cpus").scalar().value())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(named(rs, "mem").scalar().value()).isPositive();
    assertThat(named(rs, "disk").scalar().value()).isGreaterThanOrEqualTo(0);
    assertThat(named(rs, "ports").ranges().range()).containsExactly(new Value.Range(31000, 32000));
    assertThat(rs).allSatisfy(r -> assertThat(r.reservationRole()).isEqualTo("*"));
  }

  @Test
  void nullOverridesAreNoOverrides() throws Exception {
    assertThat(ResourceDetector.detect(workDir, null)).extracting(Resource::name)
        .containsExactly("cpus", "mem", "disk", "ports");
  }

  @Test
  void theWorkDirIsCreated() throws Exception {
    Path nested = workDir.resolve("a/b/c");
    ResourceDetector.detect(nested, "");
    assertThat(nested).isDirectory();
  }

  @Test
  void overridesReplaceDetectedValuesByName() throws Exception {
    List<Resource> rs = ResourceDetector.detect(workDir, "cpus:3;mem:2048;ports:[8000-8009,9000-9000]");

    assertThat(rs).extracting(Resource::name).containsExactly("cpus", "mem", "disk", "ports");
    assertThat(named(rs, "cpus").scalar().value()).isEqualTo(3.0);
    assertThat(named(rs, "mem").scalar().value()).isEqualTo(2048.0);
    assertThat(named(rs, "ports").ranges().range())
        .containsExactly(new Value.Range(8000, 8009), new Value.Range(9000, 9000));
  }

  @Test
  void newAndReservedResourcesAreAppended() throws Exception {
    List<Resource> rs = ResourceDetector.detect(workDir, "gpus:2;cpus(analytics):1;mem(analytics):512;cpus:4");

    assertThat(rs).extracting(Resource::name)
        .containsExactly("cpus", "mem", "disk", "ports", "gpus", "cpus", "mem");
    assertThat(named(rs, "cpus").scalar().value()).isEqualTo(4.0);
    assertThat(named(rs, "gpus").scalar().value()).isEqualTo(2.0);
    List<Resource> reserved = rs.stream().filter(r -> !r.reservations().isEmpty()).toList();
    assertThat(reserved).extracting(Resource::reservationRole).containsExactly("analytics", "analytics");
    assertThat(reserved).extracting(r -> r.scalar().value()).containsExactly(1.0, 512.0);
  }

  @Test
  void malformedOverridesAreRefused() {
    assertThatThrownBy(() -> ResourceDetector.detect(workDir, "cpus:lots"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ResourceDetector.detect(workDir, "cpus:-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
