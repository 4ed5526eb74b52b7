package dev.terrace.agent.network;

import dev.terrace.agent.runtime.CommandResult;
import dev.terrace.agent.runtime.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Persistent network namespaces kept as bind-mounted files in a directory of the agent's own (not
 * {@code /run/netns}, which every tool and every other agent on the host shares). Made and entered
 * by util-linux {@code unshare --net=FILE} and {@code nsenter}: a JVM thread never calls
 * setns/unshare itself. Blocking: call from a worker thread.
 */
public final class NetworkNamespaces {
  private final Path dir;
  private final CommandRunner commands = new CommandRunner();
  private final Duration timeout;

  public NetworkNamespaces(Path dir, Duration timeout) {
    this.dir = dir;
    this.timeout = timeout;
  }

  /** The file that holds {@code id}'s namespace (its path goes into the OCI spec and CNI_NETNS). */
  public Path path(String id) {
    return dir.resolve(id);
  }

  /** Creates {@code id}'s namespace with its loopback up; fails if it exists already. */
  public Path create(String id) throws CniException {
    Path file = path(id);
    try {
      Files.createDirectories(dir);
      Files.createFile(file);
      // One process: unshare runs ip inside the namespace it has just made and bound.
      run(List.of("unshare", "--net=" + file, "ip", "link", "set", "lo", "up"),
          "create network namespace " + id);
      return file;
    } catch (IOException e) {
      throw new CniException("cannot create network namespace " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code id}'s namespace is mounted (an empty file is one a crash left half made). */
  public boolean exists(String id) {
    return isMounted(path(id));
  }

  /**
   * Unmounts and removes {@code id}'s namespace file; the kernel frees the namespace (and any
   * veth end in it) once no process is left in it. Idempotent.
   */
  public void delete(String id) throws CniException {
    Path file = path(id);
    if (isMounted(file)) {
      run(List.of("umount", file.toString()), "unmount network namespace " + id);
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new CniException("cannot remove " + file + ": " + e.getMessage(), e);
    }
  }

  private static boolean isMounted(Path file) {
    try {
      String target = file.toAbsolutePath().toString();
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] f = line.split(" ");
        if (f.length > 4 && f[4].equals(target)) {
          return true;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private void run(List<String> command, String what) throws CniException {
    try {
      CommandResult r = commands.run(command, timeout);
      if (!r.ok()) {
        throw new CniException("cannot " + what + ": " + r.describe());
      }
    } catch (IOException e) {
      throw new CniException("cannot " + what + ": " + e.getMessage(), e);
    }
  }
}
