package dev.terrace.notebooks.scheduling;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.DurationInfo;
import dev.terrace.common.model.Environment;
import dev.terrace.common.model.HealthCheck;
import dev.terrace.common.model.KillPolicy;
import dev.terrace.common.model.Label;
import dev.terrace.common.model.Labels;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.Value;
import dev.terrace.notebooks.NotebooksConfig.NotebookSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The task of a user's Jupyter server: Debian's {@code jupyter-notebook} on the agent's host file
 * system (no image) and network, on a host port from the offer, serving the user's working
 * directory (a host volume that outlives the task), checked by an HTTP health check of
 * {@code /api}. The token travels in the environment ({@code JUPYTER_TOKEN}), not on the command
 * line, where every process listing would show it.
 */
public final class NotebookTasks {
  /** Where the working directory appears in the container. */
  static final String WORK_DIR = "/notebook";
  /** The label the master's web UI turns into a link to the task's own web UI. */
  public static final String UI_LINK_LABEL = "terrace.ui.link";

  private NotebookTasks() {}

  public static String taskId(String user, int run) {
    return "notebook." + user + "." + run;
  }

  /** The user whose notebook a task id names, if it is one of ours. */
  public static Optional<String> userOf(String taskId) {
    String[] p = taskId.split("\\.");
    return p.length == 3 && p[0].equals("notebook") ? Optional.of(p[1]) : Optional.empty();
  }

  /** The notebook's URL, without its token: the server asks for it on its login page. */
  public static String url(String hostname, int port) {
    return "http://" + hostname + ":" + port + "/";
  }

  static TaskInfo task(NotebookSettings settings, String role, String user, String token, String taskId, Offer offer,
      int port) {
    List<String> argv = List.of(settings.command(), "--no-browser", "--allow-root", "--ip=0.0.0.0",
        "--port=" + port, "--port-retries=0", "--notebook-dir=" + WORK_DIR);
    CommandInfo command = CommandInfo.argv(argv).withEnvironment(Environment.of(Map.of(
        "JUPYTER_TOKEN", token, "HOME", "/mnt/mesos/sandbox", "TERRACE_NOTEBOOK_USER", user)));
    List<Resource> resources = List.of(
        Resource.scalar("cpus", settings.cpus()).withAllocationRole(role),
        Resource.scalar("mem", settings.mem()).withAllocationRole(role),
        Resource.ranges("ports", List.of(new Value.Range(port, port))).withAllocationRole(role));
    ContainerInfo container = new ContainerInfo(ContainerInfo.Type.MESOS,
        List.of(new ContainerInfo.Volume(WORK_DIR, settings.volumeRoot() + "/" + user, ContainerInfo.Volume.Mode.RW,
            null)), null, null, null, null);
    // Jupyter needs a few seconds to start on a loaded host: a generous grace period, then a
    // server that stops answering /api for half a minute is killed (and shown as failed).
    HealthCheck health = new HealthCheck(HealthCheck.Type.HTTP, 0.0, 5.0, 5.0, 6, 120.0, null,
        new HealthCheck.Http(null, "http", port, "/api", null), null);
    return TaskInfo.command("notebook-" + user, TaskId.of(taskId), offer.agentId(), resources, command)
        .withContainer(container)
        .withHealthCheck(health)
        .withKillPolicy(new KillPolicy(DurationInfo.of(Duration.ofSeconds(5))))
        .withLabels(new Labels(List.of(new Label("terrace.notebook.user", user),
            new Label(UI_LINK_LABEL, url(offer.hostname(), port)))));
  }
}
