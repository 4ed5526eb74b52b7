package dev.terrace.testkit.hosts;

import dev.terrace.agent.runtime.CommandResult;
import dev.terrace.agent.runtime.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs short host commands (ip, nsenter) for the harness; a failure throws with their output. */
final class Shell {
  private static final CommandRunner RUNNER = new CommandRunner();

  private Shell() {}

  static String run(String... argv) throws IOException {
    return run(List.of(argv));
  }

  static String run(List<String> argv) throws IOException {
    CommandResult r = RUNNER.run(argv, Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new IOException(r.describe());
    }
    return r.stdout();
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
