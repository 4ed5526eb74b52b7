package dev.terrace.agent.runtime;

import dev.terrace.agent.terminal.ConsoleSocket;
import dev.terrace.agent.terminal.Pty;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code <runtime> exec --tty} in the foreground, with the command's terminal held by the agent.
 * The runtime stays the command's parent until it ends, so its exit code is the command's: no
 * subreaper is needed (what {@code --detach} would require of the JVM).
 *
 * <p>The two runtimes differ in how a foreground {@code exec --tty} hands the terminal over:
 * <ul>
 *   <li>crun sends the container terminal's master over {@code --console-socket} and waits for
 *       the command: the agent reads, writes and resizes that master itself.
 *   <li>runc refuses a console socket unless it detaches; in the foreground it relays the
 *       container terminal to its own, and follows its own terminal's size on SIGWINCH. So it runs
 *       as a session leader on a pseudo-terminal the agent opens (raw, so it only carries bytes),
 *       and a resize of the agent's master reaches the container through runc.
 * </ul>
 */
public final class TerminalExec {
  private static final Logger LOG = LoggerFactory.getLogger(TerminalExec.class);
  private static final Duration CONSOLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A command on a terminal: read its {@code output} and type into {@code pty}, wait for
   * {@code exit} (128+N when killed by signal N), and run {@code close} (which closes the pty)
   * once the output is drained.
   */
  public record Running(Pty pty, InputStream output, CompletableFuture<Integer> exit, Runnable kill,
      Runnable close) {}

  private final OciRuntime runtime;

  TerminalExec(OciRuntime runtime) {
    this.runtime = runtime;
  }

  Running start(String id, List<String> argv, Map<String, String> env, Path pidFile, int rows,
      int cols) throws IOException {
    return runtime.name().equals("runc") ? onOwnTerminal(id, argv, env, pidFile, rows, cols)
        : overConsoleSocket(id, argv, env, pidFile, rows, cols);
  }

  private Running overConsoleSocket(String id, List<String> argv, Map<String, String> env,
      Path pidFile, int rows, int cols) throws IOException {
    Path log = Files.createTempFile("terrace-exec", ".log");
    Process p = null;
    try (ConsoleSocket socket = ConsoleSocket.listen(Path.of(System.getProperty("java.io.tmpdir")))) {
      p = new ProcessBuilder(runtime.execCommand(
          List.of("--tty", "--console-socket", socket.path().toString()), id, argv, env, pidFile))
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Process started = p;
      Pty pty = socket.receive(CONSOLE_TIMEOUT, () -> !started.isAlive());
      try {
        pty.resize(rows, cols);
      } catch (IOException | RuntimeException e) {
        pty.close();
        throw e;
      }
      CompletableFuture<Integer> exit = p.onExit().thenApply(Process::exitValue);
      // What the runtime itself printed (a command it could not run) follows the terminal's output.
      InputStream output = new SequenceInputStream(pty.input(), new LazyInput(() -> {
        exit.join();
        return Files.exists(log) ? Files.readAllBytes(log) : new byte[0];
      }));
      return new Running(pty, output, exit, () -> {
        OciRuntime.killExec(pidFile);
        started.destroyForcibly();
      }, () -> {
        pty.close();
        deleteQuietly(log);
      });
    } catch (IOException | RuntimeException e) {
      if (p != null) {
        OciRuntime.killExec(pidFile);
        p.destroyForcibly();
        try {
          p.waitFor();
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
      String said = Files.exists(log) ? Files.readString(log).strip() : "";
      deleteQuietly(log);
      throw new IOException(said.isEmpty() ? e.getMessage() : said, e);
    }
  }

  private Running onOwnTerminal(String id, List<String> argv, Map<String, String> env,
      Path pidFile, int rows, int cols) throws IOException {
    Pty pty = Pty.open(rows, cols);
    int pid;
    try {
      pid = NativeSpawn.spawnOnTerminal(
          runtime.execCommand(List.of("--tty"), id, argv, env, pidFile), System.getenv(),
          pty.slavePath());
    } catch (IOException | RuntimeException e) {
      pty.close();
      throw e;
    }
    // posix_spawn returns once the child has run its file actions: runc holds the slave now.
    pty.releaseSlave();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread reaper = new Thread(() -> {
      try {
        exit.complete(exitCode(NativeSpawn.waitFor(pid)));
      } catch (IOException | RuntimeException e) {
        exit.completeExceptionally(e);
      }
    }, "exec-tty-reaper-" + pid);
    reaper.setDaemon(true);
    reaper.start();
    return new Running(pty, pty.input(), exit, () -> {
      OciRuntime.killExec(pidFile);
      if (!exit.isDone()) { // not reaped yet, so the pid is still the runtime's
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }, pty::close);
  }

  /** A wait status as a shell reports it: the exit code, or 128+N after signal N. */
  static int exitCode(int status) {
    int signal = status & 0x7f;
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("Cannot remove {}: {}", file, e.toString());
    }
  }

  /** An input stream whose bytes are only produced when it is first read. */
  private static final class LazyInput extends InputStream {
    interface Source {
      byte[] get() throws IOException;
    }

    private final Source source;
    private InputStream in;

    LazyInput(Source source) {
      this.source = source;
    }

    private InputStream in() throws IOException {
      if (in == null) {
        in = new ByteArrayInputStream(source.get());
      }
      return in;
    }

    @Override
    public int read() throws IOException {
      return in().read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in().read(b, off, len);
    }
  }
}
