package dev.terrace.agent.snapshot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
   * The layer directories the containers under {@code containersDir} use: from each container's
   * {@code snapshot/lowers}, or, for a container made before that file existed, from its overlay
   * mount's {@code lowerdir} in {@code /proc/self/mountinfo}.
   */
  public static Set<Path> inUse(Path containersDir) throws IOException {
    Set<Path> used = new HashSet<>();
    if (!Files.isDirectory(containersDir)) {
      return used;
    }
    Map<Path, List<Path>> mounted = null;
    try (var dirs = Files.list(containersDir)) {
      for (Path c : dirs.toList()) {
        Path snapshot = c.resolve("snapshot");
        if (!Files.isDirectory(snapshot)) {
          continue; // an imageless container, or one not yet that far
        }
        Path lowers = snapshot.resolve(LOWERS_FILE);
        if (Files.exists(lowers)) {
          for (String line : Files.readAllLines(lowers)) {
            if (!line.isBlank()) {
              used.add(Path.of(line.strip()));
            }
          }
        } else {
          if (mounted == null) {
            mounted = overlayLowers();
          }
          // Not mounted and no list: a launch that has not mounted yet holds a lease instead.
          used.addAll(mounted.getOrDefault(c.resolve("rootfs").toAbsolutePath().normalize(),
              List.of()));
        }
      }
    }
    return used;
  }

  /** Overlay mount points and their lower directories. */
  private static Map<Path, List<Path>> overlayLowers() throws IOException {
    Map<Path, List<Path>> out = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length < 5 || dash < 0 || dash + 3 >= f.length || !f[dash + 1].equals("overlay")) {
        continue;
      }
      for (String option : f[dash + 3].split(",")) {
        if (option.startsWith("lowerdir=")) {
          List<Path> dirs = new ArrayList<>();
          for (String d : option.substring("lowerdir=".length()).split(":")) {
            dirs.add(Path.of(d));
          }
          out.put(Path.of(f[4]), dirs);
        }
      }
    }
    return out;
  }
}
