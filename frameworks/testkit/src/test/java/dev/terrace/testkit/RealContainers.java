package dev.terrace.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** What the tests tagged "linux" need to start real containers; they skip without it. */
final class RealContainers {
  private RealContainers() {}

  /** Skips the calling test unless it runs as root with runc or crun, and conmon, installed. */
  static void assume() {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "real containers need root; skipped");
    Assumptions.assumeTrue(Stream.of("runc", "crun").anyMatch(RealContainers::onPath) && onPath("conmon"),
        "needs runc or crun, and conmon; skipped");
  }

  static boolean onPath(String binary) {
    return Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
  }
}
