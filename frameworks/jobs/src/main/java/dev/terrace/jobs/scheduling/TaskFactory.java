package dev.terrace.jobs.scheduling;

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
import dev.terrace.jobs.spec.JobSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a job attempt into a task. The task id says which attempt it is
 * ({@code <job>.<run>.<instance>.<attempt>}; job names have no dots), so a status update, even
 * one for a task launched by an earlier leader, leads straight back to its run.
 */
public final class TaskFactory {
  private TaskFactory() {}

  /** Which attempt a task id names. */
  public record TaskRef(String job, int run, int instance, int attempt) {}

  public static String taskId(String job, int run, int instance, int attempt) {
    return job + "." + run + "." + instance + "." + attempt;
  }

  public static Optional<TaskRef> parse(String taskId) {
    String[] p = taskId.split("\\.");
    if (p.length != 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(new TaskRef(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]),
          Integer.parseInt(p[3])));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static List<Resource> resources(JobSpec spec, String allocationRole) {
    List<Resource> r = new ArrayList<>();
    r.add(Resource.scalar("cpus", spec.cpus()).withAllocationRole(allocationRole));
    r.add(Resource.scalar("mem", spec.mem()).withAllocationRole(allocationRole));
    if (spec.disk() > 0) {
      r.add(Resource.scalar("disk", spec.disk()).withAllocationRole(allocationRole));
    }
    if (spec.gpus() > 0) {
      r.add(Resource.scalar("gpus", spec.gpus()).withAllocationRole(allocationRole));
    }
    return r;
  }

  static TaskInfo task(JobSpec spec, int run, int instance, int attempt, Offer offer) {
    String id = taskId(spec.name(), run, instance, attempt);
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    env.put("TERRACE_JOB", spec.name());
    env.put("TERRACE_JOB_RUN", Integer.toString(run));
    env.put("TERRACE_JOB_INSTANCE", Integer.toString(instance));
    env.put("TERRACE_JOB_ATTEMPT", Integer.toString(attempt));
    boolean imageCommand = spec.command() == null || spec.command().isBlank();
    CommandInfo command = new CommandInfo(spec.uris(), Environment.of(env), !imageCommand,
        imageCommand ? null : spec.command(), null, null);
    TaskInfo task = TaskInfo.command(spec.name(), TaskId.of(id), offer.agentId(),
        resources(spec, spec.role()), command);
    if (spec.image() != null) {
      task = task.withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
          new ContainerInfo.MesosInfo(Image.docker(spec.image())), null));
    }
    return task.withLabels(new Labels(List.of(new Label("terrace.job", spec.name()),
        new Label("terrace.job.run", Integer.toString(run)))));
  }
}
