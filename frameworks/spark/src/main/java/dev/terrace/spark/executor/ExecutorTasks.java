package dev.terrace.spark.executor;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.Environment;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.Label;
import dev.terrace.common.model.Labels;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the Terrace tasks that run Spark executors: in host mode (the agent's own java), or in
 * {@code spark.terrace.executor.image} when set.
 */
public final class ExecutorTasks {
  /** Label on every executor task, with the Spark executor id as its value. */
  public static final String EXECUTOR_ID_LABEL = "spark.executor.id";

  private final ExecutorSettings settings;
  private final String appName;

  public ExecutorTasks(ExecutorSettings settings, String appName) {
    this.settings = settings;
    this.appName = appName;
  }

  /** The Terrace task id of executor {@code executorId}. */
  public static TaskId taskId(String executorId) {
    return TaskId.of("spark-executor-" + executorId);
  }

  /** Executors {@code executorIds} on {@code offer}, which must hold resources for all of them. */
  public List<TaskInfo> build(Offer offer, List<String> executorIds, String driverUrl, String appId) {
    OfferedResources offered = new OfferedResources(offer.resources());
    List<TaskInfo> tasks = new ArrayList<>();
    for (String id : executorIds) {
      List<Resource> resources = new ArrayList<>(offered.take("cpus", settings.cores()));
      resources.addAll(offered.take("mem", settings.taskMemMb()));
      // A task has a UTS namespace of its own whose hostname (the container id) resolves nowhere:
      // Spark would fail looking itself up, so it is told the agent's address (host network).
      CommandInfo command = CommandInfo.argv(
          ExecutorCommand.argv(settings, driverUrl, appId, id, offer.hostname()))
          .withEnvironment(Environment.of(Map.of("SPARK_LOCAL_IP", offer.hostname(),
              "SPARK_LOCAL_HOSTNAME", offer.hostname())));
      TaskInfo task = TaskInfo.command("spark executor " + id + " (" + appName + ")", taskId(id),
          offer.agentId(), resources, command);
      task = task.withLabels(new Labels(List.of(new Label(EXECUTOR_ID_LABEL, id))));
      if (settings.image() != null) {
        task = task.withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
            new ContainerInfo.MesosInfo(Image.docker(settings.image())), null));
      }
      tasks.add(task);
    }
    return tasks;
  }
}
