package dev.terrace.agent.runtime;

import java.util.List;

/** The outcome of one runtime CLI call. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

  public boolean ok() {
    return exitCode == 0;
  }

  /** "runc kill x 15: exit 1: container not running", for logs and exceptions. */
  public String describe() {
    String detail = stderr.isBlank() ? stdout.strip() : stderr.strip();
    return String.join(" ", command) + ": exit " + exitCode
        + (detail.isEmpty() ? "" : ": " + detail);
  }
}
