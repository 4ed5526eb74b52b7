package dev.terrace.agent.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process of an image task: the task's command merged with the image config, as Mesos' docker
 * runtime isolator does it.
 *
 * <ul>
 *   <li>A task with its own command line (shell {@code /bin/sh -c value}, or {@code value} plus
 *       arguments) runs exactly that; the image's Entrypoint and Cmd are ignored.
 *   <li>A task without a command runs the image's Entrypoint followed by its Cmd; a task with
 *       arguments but no value runs the Entrypoint followed by those arguments instead of the Cmd.
 *   <li>The environment is the image's Env with the task's variables on top, except that the
 *       agent's own defaults (such as {@code PATH}) give way to the image's value; the agent's
 *       {@code MESOS_*} variables always stay.
 *   <li>The working directory is the image's WorkingDir when it has one, else the sandbox.
 * </ul>
 *
 * @param cwd null to keep the default (the sandbox)
 */
public record ImageProcess(List<String> argv, Map<String, String> env, String cwd) {

  /**
   * @param taskArgv the task's full argv, or (when {@code useImageCommand}) the arguments that
   *     replace the image's Cmd (possibly empty)
   * @param taskEnv the task's environment, agent defaults and MESOS_* variables included
   * @param agentDefaults the variables in {@code taskEnv} the agent set by default, with their
   *     default values; when the task still has that value, the image's wins
   */
  public static ImageProcess merge(List<String> taskArgv, boolean useImageCommand,
      Map<String, String> taskEnv, Map<String, String> agentDefaults, ImageConfig image)
      throws ManifestException {
    List<String> argv;
    if (useImageCommand) {
      argv = new ArrayList<>(image.entrypoint());
      argv.addAll(taskArgv.isEmpty() ? image.cmd() : taskArgv);
      if (argv.isEmpty()) {
        throw new ManifestException("the task has no command and the image defines neither"
            + " Entrypoint nor Cmd");
      }
    } else {
      argv = List.copyOf(taskArgv);
    }
    Map<String, String> imageEnv = new LinkedHashMap<>();
    for (String entry : image.env()) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        imageEnv.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    Map<String, String> env = new LinkedHashMap<>(imageEnv);
    taskEnv.forEach((k, v) -> {
      boolean agentDefault = v.equals(agentDefaults.get(k));
      if (!(agentDefault && imageEnv.containsKey(k))) {
        env.put(k, v);
      }
    });
    return new ImageProcess(argv, env, image.workingDir());
  }
}
