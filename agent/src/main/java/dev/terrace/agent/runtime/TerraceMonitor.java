package dev.terrace.agent.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Our own monitor, {@code terrace-monitor} (agent/src/main/c/terrace-monitor.c): it forks once
 * into the session the spawn gave it (so it outlives the agent, reparented to init), makes itself
 * a child subreaper, runs {@code <runtime> run --detach} in one step, reports the container's pid
 * on fd 3, then waits for the container's process and writes its status to
 * {@code <exitDir>/<id>} (temporary file + rename). Compared with conmon it saves conmon's own
 * start-up and double fork and the agent's separate {@code start} process, which were most of the
 * launch latency.
 */
public final class TerraceMonitor implements ContainerMonitor {
  /** The executable's file name, by which a live monitor is told from a reused pid. */
  public static final String NAME = "terrace-monitor";

  private final Path binary;
  private final Duration syncTimeout;

  public TerraceMonitor(Path binary, Duration syncTimeout) {
    this.binary = binary;
    this.syncTimeout = syncTimeout;
  }

  @Override
  public int start(OciRuntime runtime, String id, Paths paths) throws IOException {
    List<String> argv = new ArrayList<>(List.of(binary.toString(), "-r", runtime.binary().toString()));
    for (String arg : runtime.globalArgs()) {
      argv.add("-a");
      argv.add(arg);
    }
    argv.addAll(List.of(
        "-b", paths.bundle().toString(),
        "-i", id,
        "-p", paths.containerPidFile().toString(),
        "-m", paths.monitorPidFile().toString(),
        "-e", paths.exitDir().resolve(id).toString()));
    long stderrBefore = RuntimeStderr.size(paths.stderr());
    NativeSpawn.Spawned spawned = NativeSpawn.spawnWithPipe3(argv, Map.of("PATH", PATH),
        paths.containerDir().toString(), "/dev/null",
        paths.stdout().toString(), paths.stderr().toString());
    try {
      // The first process exits as soon as it has forked the monitor; reap it.
      int status = NativeSpawn.waitFor(spawned.pid());
      String line = NativeSpawn.readLine(spawned.readFd(), syncTimeout.toMillis()).strip();
      if (line.isEmpty()) {
        throw new IOException(NAME + " reported nothing within " + syncTimeout.toMillis()
            + " ms (wait status " + status + ")");
      }
      int pid = parsePid(line);
      if (pid > 0) {
        return pid;
      }
      // The runtime's complaint went to its stderr, the sandbox's stderr file; the monitor's own
      // line says only that it failed.
      String monitorSays = line.startsWith("-1") ? line.substring(2).strip() : line;
      throw new IOException(runtime.name() + " run failed: "
          + RuntimeStderr.lastError(paths.stderr(), stderrBefore)
              .filter(why -> !why.startsWith(NAME + ":")).orElse(monitorSays));
    } finally {
      NativeSpawn.close(spawned.readFd());
    }
  }

  /** The container's pid from the monitor's line, or -1 when it reported a failure. */
  static int parsePid(String line) {
    try {
      return Integer.parseInt(line.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The monitor and the runtime need no more: the runtime is run by absolute path. */
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  @Override
  public String toString() {
    return NAME + " (" + binary + ")";
  }
}
