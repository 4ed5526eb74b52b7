package dev.terrace.services.scheduling;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.DurationInfo;
import dev.terrace.common.model.Environment;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.KillPolicy;
import dev.terrace.common.model.Label;
import dev.terrace.common.model.Labels;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.Value;
import dev.terrace.services.spec.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The task of a service instance: id {@code <service>.<version>.<n>} (service names have no dots),
 * the service's resources plus its host ports, {@code PORT0..} and {@code PORTS} in the
 * environment, the health check pointed at the right port, and the kill grace period.
 */
public final class ServiceTasks {
  private ServiceTasks() {}

  public static String taskId(String service, int version, int n) {
    return service + "." + version + "." + n;
  }

  /** The service a task id belongs to, if it is one of ours. */
  public static Optional<String> serviceOf(String taskId) {
    String[] p = taskId.split("\\.");
    return p.length == 3 ? Optional.of(p[0]) : Optional.empty();
  }

  static TaskInfo task(ServiceSpec spec, String taskId, Offer offer, List<Integer> ports) {
    Map<String, String> env = new LinkedHashMap<>(spec.env());
    for (int i = 0; i < ports.size(); i++) {
      env.put("PORT" + i, Integer.toString(ports.get(i)));
    }
    if (!ports.isEmpty()) {
      env.put("PORT", Integer.toString(ports.get(0)));
      env.put("PORTS", ports.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
    env.put("TERRACE_SERVICE", spec.name());
    boolean imageCommand = spec.command() == null || spec.command().isBlank();
    CommandInfo command = new CommandInfo(spec.uris(), Environment.of(env), !imageCommand,
        imageCommand ? null : spec.command(), null, null);
    List<Resource> resources = new ArrayList<>();
    resources.add(Resource.scalar("cpus", spec.cpus()).withAllocationRole(spec.role()));
    resources.add(Resource.scalar("mem", spec.mem()).withAllocationRole(spec.role()));
    if (spec.disk() > 0) {
      resources.add(Resource.scalar("disk", spec.disk()).withAllocationRole(spec.role()));
    }
    if (!ports.isEmpty()) {
      resources.add(Resource.ranges("ports", ports.stream().map(p -> new Value.Range(p, p)).toList())
          .withAllocationRole(spec.role()));
    }
    TaskInfo task = TaskInfo.command(spec.name(), TaskId.of(taskId), offer.agentId(), resources, command)
        .withKillPolicy(new KillPolicy(DurationInfo.of(Duration.ofMillis((long) (spec.killGraceSeconds() * 1000)))));
    if (spec.image() != null) {
      task = task.withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
          new ContainerInfo.MesosInfo(Image.docker(spec.image())), null));
    }
    if (spec.health() != null) {
      task = task.withHealthCheck(spec.health().toHealthCheck(ports));
    }
    List<Label> labels = new ArrayList<>();
    spec.labels().forEach((k, v) -> labels.add(new Label(k, v)));
    labels.add(new Label("terrace.service", spec.name()));
    return task.withLabels(new Labels(labels));
  }
}
