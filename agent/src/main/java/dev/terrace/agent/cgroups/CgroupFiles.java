package dev.terrace.agent.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reading cgroup interface files and removing cgroup directories, shared by v1 and v2. */
final class CgroupFiles {
  private CgroupFiles() {}

  /** Parses a flat-keyed file ("key value" per line: memory.events, memory.oom_control). */
  static Map<String, Long> flatKeyed(String content) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (String line : content.split("\n")) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        try {
          values.put(kv[0], Long.parseLong(kv[1]));
        } catch (NumberFormatException ignored) {
          // not a counter; none of the keys we read are like that
        }
      }
    }
    return values;
  }

  /** A single-value file: a number, or "max" (v2 for no limit) as -1; -1 when absent. */
  static long single(Path file) throws IOException {
    if (!Files.exists(file)) {
      return -1;
    }
    String s = Files.readString(file).trim();
    return s.equals("max") || s.isEmpty() ? -1 : Long.parseLong(s);
  }

  /** Writes {@code value} to an existing interface file; false when absent or refused. */
  static boolean writeQuietly(Path file, String value) {
    if (!Files.exists(file)) {
      return false;
    }
    try {
      Files.writeString(file, value);
      return true;
    } catch (IOException e) {
      return false; // EBUSY (processes left), EAGAIN (not all reclaimed): best effort
    }
  }

  static Map<String, Long> flatKeyed(Path file) throws IOException {
    return Files.exists(file) ? flatKeyed(Files.readString(file)) : Map.of();
  }

  /**
   * Removes {@code dir} and its child cgroups, deepest first. A cgroup directory is removed with
   * rmdir even though it still lists its interface files; it fails with EBUSY while processes
   * remain, which happens for a moment after SIGKILL, hence the retries.
   */
  static void removeTree(Path dir) throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 50 && Files.isDirectory(dir); attempt++) {
      try (Stream<Path> walk = Files.walk(dir)) {
        List<Path> dirs = walk.filter(Files::isDirectory)
            .sorted(Comparator.comparingInt(Path::getNameCount).reversed())
            .toList();
        for (Path d : dirs) {
          Files.deleteIfExists(d);
        }
        return;
      } catch (IOException e) {
        last = e;
        sleepQuietly(20);
      }
    }
    if (Files.isDirectory(dir)) {
      throw new IOException("cannot remove cgroup " + dir, last);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
