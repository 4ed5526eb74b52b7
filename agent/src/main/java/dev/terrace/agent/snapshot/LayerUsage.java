package dev.terrace.agent.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Which unpacked layers containers use, read from the disk rather than from memory so that the
 * containers of an earlier agent run (running, or being recovered) count as well: every container
 * directory with an image rootfs has {@code snapshot/lowers}, written before its overlay is
 * mounted and removed with the directory.
 */
public final class LayerUsage {
  static final String LOWERS_FILE = "lowers";

  private LayerUsage() {}

  /**
   * The layer directories the containers under {@code containersDir} use.
   *
   * @throws IOException when a container's usage cannot be known (a snapshot without its list):
   *     garbage collection must then keep every layer
   */
  public static Set<Path> inUse(Path containersDir) throws IOException {
    Set<Path> used = new HashSet<>();
    if (!Files.isDirectory(containersDir)) {
      return used;
    }
    try (var dirs = Files.list(containersDir)) {
      for (Path c : dirs.toList()) {
        Path snapshot = c.resolve("snapshot");
        if (!Files.isDirectory(snapshot)) {
          continue; // an imageless container, or one not yet that far
        }
        Path lowers = snapshot.resolve(LOWERS_FILE);
        if (!Files.exists(lowers)) {
          if (Files.isDirectory(snapshot.resolve("empty"))) {
            continue; // an image without layers
          }
          throw new IOException("container " + c.getFileName() + " has an image rootfs but no"
              + " record of its layers");
        }
        for (String line : Files.readAllLines(lowers)) {
          if (!line.isBlank()) {
            used.add(Path.of(line.strip()));
          }
        }
      }
    }
    return used;
  }
}
