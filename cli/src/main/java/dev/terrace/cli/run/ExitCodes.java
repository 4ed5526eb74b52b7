package dev.terrace.cli.run;

import dev.terrace.common.model.TaskStatus;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps a task's terminal status to the exit code of {@code terrace run}, as a shell would see it. */
public final class ExitCodes {
  /** The task never ran: not launched, dropped, refused, or the master could not be reached. */
  public static final int NOT_LAUNCHED = 125;
  /** SIGKILL, what a shell reports for a killed process when no other signal is known. */
  public static final int KILLED = 137;

  // The agent's wording: "Command exited with status N" / "Command terminated by signal N".
  // Mesos writes "with signal"; both are accepted.
  private static final Pattern EXIT = Pattern.compile("exited with status (\\d{1,9})");
  private static final Pattern SIGNAL = Pattern.compile("terminated (?:by|with) signal (\\d{1,9})");

  private ExitCodes() {}

  public static int forStatus(TaskStatus status) {
    String message = status.message() == null ? "" : status.message();
    return switch (status.state()) {
      case TASK_FINISHED -> 0;
      case TASK_FAILED -> {
        Integer code = parse(message);
        // A failed task never looks like success to the caller, even if the message says 0.
        yield code == null || code == 0 ? 1 : code;
      }
      case TASK_KILLED -> {
        Integer code = parse(message);
        yield code != null && code > 128 ? code : KILLED;
      }
      case TASK_ERROR, TASK_DROPPED -> NOT_LAUNCHED;
      default -> 1;
    };
  }

  /** The shell-style code in an agent message: N for an exit status, 128+N for a signal. */
  static Integer parse(String message) {
    Matcher exit = EXIT.matcher(message);
    if (exit.find()) {
      return Math.min(255, Integer.parseInt(exit.group(1)));
    }
    Matcher signal = SIGNAL.matcher(message);
    if (signal.find()) {
      return 128 + Math.min(127, Integer.parseInt(signal.group(1)));
    }
    return null;
  }
}
