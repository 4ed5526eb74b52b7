package dev.terrace.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Debian's conmon as the monitor (the fallback to {@link TerraceMonitor}): conmon runs
 * {@code <runtime> create}, reports the container's pid on its sync pipe, keeps the container's
 * stdio, writes the exit status to {@code <exitDir>/<id>} and, having double-forked, outlives the
 * agent; the agent then runs {@code <runtime> start} itself.
 *
 * <p>With {@code -l passthrough} the container inherits conmon's own stdout and stderr, which are
 * the sandbox's {@code stdout} and {@code stderr} files: the task writes straight into them with
 * no copying process in between.
 */
public final class Conmon implements ContainerMonitor {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path binary;
  private final Duration syncTimeout;

  public Conmon(Path binary, Duration syncTimeout) {
    this.binary = binary;
    this.syncTimeout = syncTimeout;
  }

  @Override
  public int start(OciRuntime runtime, String id, Paths paths) throws IOException {
    int pid = create(runtime, id, paths);
    runtime.start(id);
    return pid;
  }

  /** Runs {@code runtime create} under conmon and returns the container's host pid. */
  private int create(OciRuntime runtime, String id, Paths paths) throws IOException {
    List<String> argv = new ArrayList<>(List.of(
        binary.toString(),
        "--api-version", "1",
        "-c", id, "-u", id, "-n", id,
        "-r", runtime.binary().toString(),
        "-b", paths.bundle().toString(),
        "-p", paths.containerPidFile().toString(),
        "-P", paths.monitorPidFile().toString(),
        "--exit-dir", paths.exitDir().toString(),
        "-l", "passthrough",
        "--socket-dir-path", paths.containerDir().toString(),
        "--persist-dir", paths.containerDir().toString()));
    for (String arg : runtime.globalArgs()) {
      argv.add("--runtime-arg");
      argv.add(arg);
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("_OCI_SYNCPIPE", "3");
    long stderrBefore = RuntimeStderr.size(paths.stderr());
    NativeSpawn.Spawned spawned = NativeSpawn.spawnWithPipe3(argv, env,
        paths.containerDir().toString(), "/dev/null",
        paths.stdout().toString(), paths.stderr().toString());
    try {
      // conmon's first process exits within milliseconds after forking the monitor; reap it.
      int status = NativeSpawn.waitFor(spawned.pid());
      String line = NativeSpawn.readLine(spawned.readFd(), syncTimeout.toMillis()).strip();
      if (line.isEmpty()) {
        // With -l passthrough a failed create reports nothing on the sync pipe: the runtime's
        // complaint went to its stderr, which is the sandbox's stderr file.
        String why = RuntimeStderr.lastError(paths.stderr(), stderrBefore)
            .orElse("conmon reported nothing (wait status " + status + ")");
        throw new IOException(
            why.startsWith(runtime.name() + " create failed") ? why
                : runtime.name() + " create failed: " + why);
      }
      JsonNode sync = JSON.readTree(line);
      int pid = sync.path("data").asInt(-1);
      if (pid <= 0) {
        String message = sync.path("message").asText("").strip();
        throw new IOException(runtime.name() + " create failed: " + (message.isEmpty()
            ? RuntimeStderr.lastError(paths.stderr(), stderrBefore).orElse("?") : message));
      }
      return pid;
    } finally {
      NativeSpawn.close(spawned.readFd());
    }
  }

  @Override
  public String toString() {
    return "conmon (" + binary + ")";
  }
}
