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

  /** Changes the window size of the command's terminal; a command without one has none to size. */
  default void resize(TerminalSize size) throws java.io.IOException {}

  /**
   * Lets go of what the session holds once its output is drained and it has exited (a command on
   * a terminal: the terminal); idempotent.
   */
  default void close() {}

  /** True when the command runs on a terminal (stdin is its keyboard, stderr is empty). */
  default boolean hasTerminal() {
    return false;
  }

  /**
   * A session over a command on a terminal: {@code output} is what the terminal shows, writes go
   * to {@code pty}, {@code kill} ends the command and {@code close} lets go of the terminal.
   */
  static ExecSession onTerminal(dev.terrace.agent.terminal.Pty pty, InputStream output,
      CompletableFuture<Integer> exit, Runnable kill, Runnable close) {
    InputStream nothing = InputStream.nullInputStream();
    OutputStream keyboard = pty.output();
    return new ExecSession() {
      @Override
      public OutputStream stdin() {
        return keyboard;
      }

      @Override
      public InputStream stdout() {
        return output;
      }

      @Override
      public InputStream stderr() {
        return nothing;
      }

      @Override
      public CompletableFuture<Integer> exit() {
        return exit;
      }

      @Override
      public void kill() {
        kill.run();
      }

      @Override
      public void resize(TerminalSize size) throws java.io.IOException {
        pty.resize(size.rows(), size.cols());
      }

      @Override
      public void close() {
        close.run();
      }

      @Override
      public boolean hasTerminal() {
        return true;
      }
    };
  }

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
