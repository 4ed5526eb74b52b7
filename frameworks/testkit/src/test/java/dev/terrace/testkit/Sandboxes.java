package dev.terrace.testkit;

import dev.terrace.common.model.TaskId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Reads files of a task's sandbox on the in-process cluster's first agent. */
final class Sandboxes {
  private Sandboxes() {}

  static String stdout(Path clusterWorkDir, TaskId id) throws Exception {
    // Only the sandboxes: container dirs hold mounted root filesystems.
    try (Stream<Path> files = Files.walk(clusterWorkDir.resolve("agent-0").resolve("agents"))) {
      Path f = files.filter(p -> p.getFileName().toString().equals("stdout")
          && p.toString().contains("/executors/" + id.value() + "/runs/")
          && !p.toString().contains("/runs/latest/")).findFirst().orElseThrow();
      return Files.readString(f);
    }
  }
}
