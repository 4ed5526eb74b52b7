package dev.terrace.agent.rootfs;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Removal of a container's directory, which must never reach into a mount below it. */
public final class ContainerDirs {
  private ContainerDirs() {}

  /**
   * Deletes {@code dir} recursively, refusing (with an exception, deleting nothing) if anything
   * below it is still mounted: a rootfs overlay still mounted there would expose the host's root
   * file system, and a sandbox bind would expose the task's files.
   */
  public static void deleteUnlessMounted(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Path abs = dir.toAbsolutePath().normalize();
    List<Path> mounted = mountsUnder(abs);
    if (!mounted.isEmpty()) {
      throw new IOException("refusing to delete " + abs + ": still mounted: " + mounted);
    }
    Files.walkFileTree(abs, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** Mount points at or below {@code dir}. */
  public static List<Path> mountsUnder(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    Set<Path> found = new HashSet<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4) {
        Path p = Path.of(Mounts.unescape(f[4]));
        if (p.startsWith(abs)) {
          found.add(p);
        }
      }
    }
    return List.copyOf(found);
  }
}
