package dev.terrace.testkit.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short host commands (ip, nsenter) for the harness; a failure throws with their output. */
final class Shell {
  private Shell() {}

  static String run(String... argv) throws IOException {
    return run(List.of(argv));
  }

  static String run(List<String> argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", argv));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", argv), e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + ": exit " + p.exitValue() + ": " + out.strip());
    }
    return out;
  }

  /** Runs and ignores failure (cleanup of something that may be gone already). */
  static void quietly(String... argv) {
    try {
      run(argv);
    } catch (IOException ignored) {
      // already gone
    }
  }
}
