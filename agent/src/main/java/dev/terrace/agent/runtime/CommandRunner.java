package dev.terrace.agent.runtime;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short-lived command with an argument list (never a shell string) and a timeout,
 * capturing stdout and stderr. Output goes to temporary files rather than pipes so that no reader
 * threads are needed and a chatty command can never block on a full pipe.
 */
public final class CommandRunner {

  /** Runs {@code command}; a timeout kills it and throws. */
  public CommandResult run(List<String> command, Duration timeout) throws IOException {
    Path out = Files.createTempFile("terrace-cmd", ".out");
    Path err = Files.createTempFile("terrace-cmd", ".err");
    try {
      Process p = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      boolean done;
      try {
        done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted: " + String.join(" ", command), e);
      }
      if (!done) {
        p.destroyForcibly();
        throw new IOException("timed out after " + timeout.toMillis() + " ms: "
            + String.join(" ", command));
      }
      return new CommandResult(command, p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
