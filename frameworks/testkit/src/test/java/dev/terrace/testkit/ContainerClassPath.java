package dev.terrace.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * This JVM's class path as a JVM inside a host-mode container can read it. A container gets a
 * tmpfs of its own on {@code /tmp}, so the entries of a checkout under {@code /tmp} (as a CI clone
 * may be) are not there for it: those are copied once to a directory under {@code /var/tmp},
 * removed when this JVM exits.
 */
final class ContainerClassPath {
  private static String path;

  private ContainerClassPath() {}

  static synchronized String get() {
    if (path == null) {
      path = build();
    }
    return path;
  }

  private static String build() {
    try {
      Path copies = null;
      List<String> out = new ArrayList<>();
      int n = 0;
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        Path p = Path.of(entry).toAbsolutePath().normalize();
        if (!p.startsWith("/tmp") || !Files.exists(p)) {
          out.add(entry);
          continue;
        }
        if (copies == null) {
          copies = Files.createTempDirectory(Path.of("/var/tmp"), "terrace-test-classpath");
          Path root = copies;
          Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(root)));
        }
        Path target = copies.resolve((n++) + "-" + p.getFileName());
        copy(p, target);
        out.add(target.toString());
      }
      return String.join(java.io.File.pathSeparator, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path t = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(t);
        } else {
          Files.copy(f, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // best effort at exit
    }
  }
}
