package dev.terrace.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Defaults shared by the commands that start components. */
final class Defaults {
  private Defaults() {}

  /** {@code /var/lib/terrace} for root (where packages put state), else under the user's home. */
  static Path workDir(String component) {
    boolean root = "root".equals(System.getProperty("user.name"));
    Path base = root ? Path.of("/var/lib/terrace") : Path.of(System.getProperty("user.home"), ".terrace");
    return base.resolve(component);
  }

  static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }

  static Path ensureDir(Path p) throws java.io.IOException {
    Files.createDirectories(p);
    return p;
  }
}
