package dev.terrace.cli.faults;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** What the faults tagged "linux" need: root, an OCI runtime, conmon and the CNI plugins. */
final class RealHosts {
  private RealHosts() {}

  /** Skips the calling test, saying why, unless real containers (and CNI, if asked) can run. */
  static void assume(boolean cni) {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "real containers need root; skipped");
    Assumptions.assumeTrue(Stream.of("runc", "crun").anyMatch(RealHosts::onPath) && onPath("conmon"),
        "needs runc or crun, and conmon; skipped");
    Assumptions.assumeTrue(!cni || Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
        "containernetworking-plugins missing; skipped");
  }

  private static boolean onPath(String binary) {
    return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
  }
}
