package dev.terrace.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorBinaryTest {
  @TempDir Path workDir;

  @Test
  void installsTheBuiltBinaryExecutableAndReplacesAStaleCopyByRename() throws Exception {
    byte[] built;
    try (InputStream in = MonitorBinary.class.getResourceAsStream(MonitorBinary.RESOURCE)) {
      assertThat(in).as("the build compiles terrace-monitor into the jar").isNotNull();
      built = in.readAllBytes();
    }

    Path installed = MonitorBinary.install(workDir).orElseThrow();

    assertThat(installed).isEqualTo(workDir.resolve("bin/terrace-monitor"));
    assertThat(Files.isExecutable(installed)).isTrue();
    assertThat(Files.readAllBytes(installed)).isEqualTo(built);

    // A copy from an older agent, which a running monitor may still execute, is replaced by a
    // new file (a new inode), never rewritten in place.
    Files.writeString(installed, "old");
    Object oldInode = Files.getAttribute(installed, "unix:ino");
    MonitorBinary.install(workDir);
    assertThat(Files.readAllBytes(installed)).isEqualTo(built);
    assertThat(Files.getAttribute(installed, "unix:ino")).isNotEqualTo(oldInode);
    try (var files = Files.list(workDir.resolve("bin"))) {
      assertThat(files).containsExactly(installed);
    }
  }

  @Test
  void parsesTheMonitorsReport() {
    assertThat(TerraceMonitor.parsePid("4242\n")).isEqualTo(4242);
    assertThat(TerraceMonitor.parsePid("-1 /usr/bin/crun run exited with status 1")).isEqualTo(-1);
  }
}
