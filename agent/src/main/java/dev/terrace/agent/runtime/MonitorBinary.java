package dev.terrace.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

/**
 * Puts the {@code terrace-monitor} binary the build compiled into the agent's jar (a static
 * executable, so it needs nothing of the host) into {@code <workDir>/bin}, where monitors of
 * earlier agent runs may still be executing the previous copy: a changed binary is written beside
 * it and renamed over it, so a running monitor keeps its old inode.
 */
public final class MonitorBinary {
  private MonitorBinary() {}

  /** Classpath location of the binary, relative to this class. */
  static final String RESOURCE = "native/" + TerraceMonitor.NAME;

  /** The binary in {@code <workDir>/bin}, written or refreshed from the jar; empty when the jar has none. */
  public static Optional<Path> install(Path workDir) throws IOException {
    byte[] bytes;
    try (InputStream in = MonitorBinary.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return Optional.empty();
      }
      bytes = in.readAllBytes();
    }
    Path dir = Files.createDirectories(workDir.resolve("bin"));
    Path target = dir.resolve(TerraceMonitor.NAME);
    if (Files.isRegularFile(target) && Files.isExecutable(target)
        && Arrays.equals(Files.readAllBytes(target), bytes)) {
      return Optional.of(target);
    }
    Path tmp = dir.resolve("." + TerraceMonitor.NAME + "-" + UUID.randomUUID());
    try {
      Files.write(tmp, bytes);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return Optional.of(target);
  }
}
