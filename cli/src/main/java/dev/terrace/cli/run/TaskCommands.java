package dev.terrace.cli.run;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Environment;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the words after {@code --} into the task's Mesos CommandInfo. */
public final class TaskCommands {
  private TaskCommands() {}

  /**
   * One word is a shell command line ({@code terrace run -- 'echo $HOME | wc'}), run by
   * {@code /bin/sh -c} as Mesos does for {@code shell: true}. Several words are an argv, run
   * without a shell, so arguments reach the program exactly as typed here.
   */
  public static CommandInfo commandFor(List<String> argv, Map<String, String> env) {
    // No words: run the image's own entrypoint and cmd (a non-shell command without a value, as
    // Mesos has it).
    CommandInfo command = argv.isEmpty() ? new CommandInfo(null, null, false, null, null, null)
        : argv.size() == 1 ? CommandInfo.shell(argv.get(0)) : CommandInfo.argv(argv);
    // Sorted so the launched task (and what tests compare) does not depend on map order.
    return env.isEmpty() ? command : command.withEnvironment(Environment.of(new TreeMap<>(env)));
  }

  /** A readable task name when none was given: the program's base name. */
  public static String defaultName(List<String> argv) {
    String first = argv.get(0).strip();
    int space = first.indexOf(' ');
    String program = space < 0 ? first : first.substring(0, space);
    int slash = program.lastIndexOf('/');
    String base = slash < 0 ? program : program.substring(slash + 1);
    return base.isEmpty() ? "terrace-run" : base;
  }
}
