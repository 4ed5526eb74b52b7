package dev.terrace.services.scheduling;

import dev.terrace.services.spec.ServiceSpec;
import dev.terrace.services.state.Instance;
import java.util.List;

/**
 * A service as the API shows it: what it should run, whether a deploy is rolling, its instances
 * with their health, and, when instances are missing, why (placement refusals, backoff).
 */
public record ServiceView(ServiceSpec spec, int version, boolean canRollBack, boolean deploying, int healthy,
    List<Instance> instances, List<String> waiting, int failures, Long delayUntil) {

  /** The one-line summary {@code GET /v1/services} lists. */
  public record Summary(String name, int version, int instances, int running, int healthy, boolean deploying) {}

  public Summary summary() {
    int running = (int) instances.stream().filter(i -> "TASK_RUNNING".equals(i.state())).count();
    return new Summary(spec.name(), version, spec.instances(), running, healthy, deploying);
  }

  /** Where a healthy instance answers: its host and host ports. */
  public record Endpoint(String taskId, String host, List<Integer> ports, String address) {}
}
