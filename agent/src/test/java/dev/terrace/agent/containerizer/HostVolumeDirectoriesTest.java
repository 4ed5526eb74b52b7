package dev.terrace.agent.containerizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostVolumeDirectoriesTest {
  @TempDir Path dir;

  private ContainerLaunch launch(String hostPath) {
    return new ContainerLaunch("c1", dir.resolve("sandbox"), List.of("true"), Map.of(), 0.1, 1 << 20, "h", null)
        .withVolumes(List.of(new ContainerLaunch.HostVolume(hostPath, "/notebook", false)));
  }

  @Test
  void createsTheDirectoryUnderTheVolumeRootAndKeepsItsFiles() throws IOException {
    Path root = dir.resolve("volumes");
    ContainerLaunch first = HostVolumeDirectories.resolve(root, launch("notebooks/alice"));

    Path alice = root.resolve("notebooks/alice").toAbsolutePath();
    assertThat(first.volumes()).containsExactly(new ContainerLaunch.HostVolume(alice.toString(), "/notebook", false));
    assertThat(alice).isDirectory();
    Files.writeString(alice.resolve("x.txt"), "kept");
    HostVolumeDirectories.resolve(root, launch("notebooks/alice"));
    assertThat(alice.resolve("x.txt")).hasContent("kept");
  }

  @Test
  void refusesPathsLeavingTheRootAndSymbolicLinksPlantedInAVolume() throws IOException {
    Path root = dir.resolve("volumes");
    assertThatThrownBy(() -> HostVolumeDirectories.resolve(root, launch("../escape"))).isInstanceOf(IOException.class);
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.createDirectories(root.resolve("bob"));
    Files.createSymbolicLink(root.resolve("bob/link"), outside);

    assertThatThrownBy(() -> HostVolumeDirectories.resolve(root, launch("bob/link/sub")))
        .isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
    assertThat(outside.resolve("sub")).doesNotExist();
  }
}
