package dev.terrace.agent.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The per-container monitor: a process outside the agent that starts a container from its bundle,
 * holds its stdio (the sandbox's {@code stdout} and {@code stderr}, passed straight through),
 * records its exit status in {@code <exitDir>/<id>} and, not being the agent's child, outlives
 * the agent so that a restarted agent can recover the container.
 */
public interface ContainerMonitor {

  /** Which monitor the operator asked for. */
  enum Kind {
    /** Our own {@code terrace-monitor}: one {@code run} step, the fastest. */
    TERRACE,
    /** Debian's conmon: {@code create} under conmon, then {@code start}. */
    CONMON;

    public static Kind parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "container monitor must be terrace or conmon, not '" + s + "'", e);
      }
    }
  }

  /** Paths of one container under its monitor. */
  record Paths(Path bundle, Path containerDir, Path exitDir, Path stdout, Path stderr) {
    /** Where the monitor writes its own pid; {@link #isMonitor} checks the process it names. */
    public Path monitorPidFile() {
      return containerDir.resolve("monitor.pid");
    }

    public Path containerPidFile() {
      return bundle.resolve("pidfile");
    }
  }

  /**
   * Starts container {@code id} from {@code paths.bundle()} under a new monitor and returns the
   * host pid of its process, which is running when this returns. On failure the container may
   * exist half way: the caller destroys it.
   */
  int start(OciRuntime runtime, String id, Paths paths) throws IOException;

  /** Whether {@code executable} (a process' {@code /proc/PID/exe}) is a monitor of any kind. */
  static boolean isMonitor(String executable) {
    return executable.endsWith("/conmon") || executable.endsWith("/" + TerraceMonitor.NAME);
  }
}
