package dev.terrace.agent.task;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Environment;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a task's CommandInfo into the argv and environment of its container's process. */
public final class TaskCommand {
  public static final String SANDBOX_IN_CONTAINER = "/mnt/mesos/sandbox";
  public static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** What {@link #environment} sets unless the task does; an image's Env takes precedence. */
  public static final Map<String, String> DEFAULT_ENV =
      Map.of("PATH", DEFAULT_PATH, "HOME", SANDBOX_IN_CONTAINER);

  private TaskCommand() {}

  /**
   * Mesos semantics: a shell command runs as {@code /bin/sh -c value}; otherwise {@code value} is
   * the executable and {@code arguments} the full argv (argv[0] included), or just the executable
   * when no arguments are given.
   */
  public static List<String> argv(CommandInfo command) {
    if (command.isShell()) {
      return List.of("/bin/sh", "-c", command.value());
    }
    if (command.arguments().isEmpty()) {
      return List.of(command.value());
    }
    List<String> argv = new ArrayList<>(command.arguments());
    // The kernel runs 'value'; argv[0] is what the process sees as its name. The runtime execs
    // argv[0], so put the executable there when they differ.
    argv.set(0, command.value());
    return argv;
  }

  /**
   * Whether a task with an image runs the image's Entrypoint (and Cmd) rather than a command line
   * of its own: it has no command, or a non-shell command without a value (Mesos' semantics;
   * its arguments then replace the image's Cmd, see {@link #imageArguments}).
   */
  public static boolean usesImageCommand(CommandInfo command) {
    return command == null
        || (!command.isShell() && (command.value() == null || command.value().isEmpty()));
  }

  /** The arguments that follow the image's Entrypoint; empty to use the image's Cmd. */
  public static List<String> imageArguments(CommandInfo command) {
    return command == null ? List.of() : command.arguments();
  }

  public static Map<String, String> environment(TaskInfo task, FrameworkId fw, AgentId agent) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", DEFAULT_PATH);
    env.put("HOME", SANDBOX_IN_CONTAINER);
    Environment given = task.command() == null ? null : task.command().environment();
    if (given != null) {
      for (Environment.Variable v : given.variables()) {
        if (v.name() != null && v.value() != null && v.type() != Environment.Variable.Type.SECRET) {
          env.put(v.name(), v.value());
        }
      }
    }
    // The host ports the task was given (Marathon's names, which services read).
    env.putAll(TaskNetwork.portEnvironment(task));
    env.put("MESOS_SANDBOX", SANDBOX_IN_CONTAINER);
    env.put("MESOS_TASK_ID", task.taskId().value());
    env.put("MESOS_FRAMEWORK_ID", fw.value());
    env.put("MESOS_AGENT_ID", agent.value());
    env.put("MESOS_EXECUTOR_ID", task.taskId().value());
    return env;
  }
}
