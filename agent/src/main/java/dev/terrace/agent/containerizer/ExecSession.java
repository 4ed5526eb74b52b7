package dev.terrace.agent.containerizer;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/**
 * A command started inside a running container with its stdio piped to the caller: write its
 * stdin (close it for EOF), read stdout and stderr until they end, and wait for {@link #exit}.
 * The caller must drain both output streams, or the command blocks once a pipe is full.
 */
public interface ExecSession {
  OutputStream stdin();

  InputStream stdout();

  InputStream stderr();

  /** Completes with the command's exit code (128+N when killed by signal N). */
  CompletableFuture<Integer> exit();

  /** Kills the command (the process inside the container, not only a runtime CLI); idempotent. */
  void kill();

  /** A session over a plain child process, killed with {@code kill} (e.g. the process itself). */
  static ExecSession of(Process process, Runnable kill) {
    CompletableFuture<Integer> exit = process.onExit().thenApply(Process::exitValue);
    return new ExecSession() {
      @Override
      public OutputStream stdin() {
        return process.getOutputStream();
      }

      @Override
      public InputStream stdout() {
        return process.getInputStream();
      }

      @Override
      public InputStream stderr() {
        return process.getErrorStream();
      }

      @Override
      public CompletableFuture<Integer> exit() {
        return exit;
      }

      @Override
      public void kill() {
        kill.run();
        process.destroyForcibly();
      }
    };
  }
}
