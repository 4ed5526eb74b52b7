package dev.terrace.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Rotation of a file a real process is appending to (as a task writes its sandbox's stdout
 * through conmon), on the host's disk: every line the process wrote is found once, in order,
 * across the rotated files.
 */
@Tag("linux")
class LogRotatorLinuxTest {
  private static final int LINES = 200_000;
  private Path dir;

  @BeforeEach
  void dir() throws Exception {
    // Next to the build (the host's disk): where agent work dirs live, not a tmpfs.
    dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "log-rotation");
  }

  @AfterEach
  void clean() throws Exception {
    try (var s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  @Test
  void rotatesWhileTheWriterWritesAndLosesNoLine() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(LogRotator.collapsesRanges(dir),
        "the build directory's file system cannot collapse ranges (ext4 and xfs can)");
    Path stdout = dir.resolve("stdout");
    Files.createFile(stdout);
    LogRotator rotator = new LogRotator(16 << 10, 100_000);
    Process writer = new ProcessBuilder("sh", "-c",
        "i=0; while [ $i -lt " + LINES + " ]; do echo \"line $i\"; i=$((i+1)); done")
        .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile())).start();
    int rotations = 0;
    while (writer.isAlive()) {
      if (rotator.rotateIfNeeded(stdout)) {
        rotations++;
      }
    }
    assertThat(writer.waitFor()).isZero();

    List<Path> files = new ArrayList<>();
    for (int i = rotations; i >= 1; i--) {
      files.add(dir.resolve("stdout." + i));
    }
    files.add(stdout);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Path f : files) {
      all.write(Files.readAllBytes(f));
    }
    String[] lines = all.toString(StandardCharsets.UTF_8).split("\n");
    assertThat(rotations).isGreaterThan(3);
    assertThat(lines).hasSize(LINES);
    for (int i = 0; i < LINES; i++) {
      assertThat(lines[i]).isEqualTo("line " + i);
    }
    // Every rotated file holds about the cap, the live one less than a block beyond new writes.
    assertThat(Files.size(dir.resolve("stdout.1"))).isLessThan(64 << 10);
  }

  @Test
  void keepsAtMostMaxFilesDroppingTheOldest() throws Exception {
    Path stderr = dir.resolve("stderr");
    LogRotator rotator = new LogRotator(8 << 10, 3);
    for (int round = 0; round < 5; round++) {
      Files.write(stderr, ("round " + round + "\n").repeat(2000).getBytes(),
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      assertThat(rotator.rotateIfNeeded(stderr)).isTrue();
    }

    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("stderr", "stderr.1", "stderr.2");
    }
    assertThat(Files.readString(dir.resolve("stderr.2"))).contains("round 3");
    assertThat(Files.readString(stderr)).endsWith("round 4\n");
  }
}
