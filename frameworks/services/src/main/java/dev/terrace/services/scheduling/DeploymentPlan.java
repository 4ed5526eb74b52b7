package dev.terrace.services.scheduling;

import dev.terrace.services.spec.ServiceSpec;
import dev.terrace.services.state.Instance;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * What to do next for one service, from its spec and instances: how many instances of the current
 * version to launch and which instances to kill. Pure, and called again after every change, so
 * each step only goes as far as the rules allow right now:
 *
 * <ul>
 *   <li>Steady (every instance runs the current version): launch up to {@code instances} (not
 *       while a failure backoff lasts), kill the extras (unhealthy and newest first).
 *   <li>Deploying (older versions still run): launch new ones while the total stays within
 *       {@code instances * (1 + maximum_over_capacity)}; kill old ones that are unhealthy, and
 *       healthy old ones only while the healthy count stays at least
 *       {@code ceil(instances * minimum_health_capacity)}.
 * </ul>
 *
 * Instances being killed still count towards the total (they hold resources) but not as healthy.
 * Instances on an agent about to go into maintenance ({@code draining}) are moved like old ones:
 * replaced first, killed only as the minimum healthy capacity allows.
 */
public final class DeploymentPlan {
  public record Plan(int launches, List<String> kills, boolean deploying) {}

  private DeploymentPlan() {}

  public static Plan plan(ServiceSpec spec, int version, Collection<Instance> instances, boolean inBackoff) {
    return plan(spec, version, instances, inBackoff, i -> false);
  }

  public static Plan plan(ServiceSpec spec, int version, Collection<Instance> instances, boolean inBackoff,
      java.util.function.Predicate<Instance> draining) {
    boolean checked = spec.health() != null;
    int n = spec.instances();
    List<Instance> live = instances.stream().filter(i -> !i.isKilling()).toList();
    int killing = instances.size() - live.size();
    List<Instance> current = live.stream().filter(i -> i.version() == version && !draining.test(i)).toList();
    List<Instance> old = live.stream().filter(i -> i.version() != version || draining.test(i)).toList();
    List<String> kills = new ArrayList<>();
    Comparator<Instance> worstFirst = Comparator.<Instance, Boolean>comparing(i -> i.isHealthy(checked))
        .thenComparing(Comparator.comparing((Instance i) -> i.launchedAt() == null ? 0L : i.launchedAt()).reversed());
    if (old.isEmpty()) {
      int launches = current.size() < n && !inBackoff ? n - current.size() : 0;
      current.stream().sorted(worstFirst).limit(Math.max(0, current.size() - n)).forEach(i -> kills.add(i.taskId()));
      return new Plan(launches, kills, false);
    }
    int minHealthy = (int) Math.ceil(n * spec.minimumHealthCapacity() - 1e-9);
    int maxTotal = n + (int) Math.floor(n * spec.maximumOverCapacity() + 1e-9);
    int total = live.size() + killing;
    int launches = inBackoff ? 0 : Math.max(0, Math.min(n - current.size(), maxTotal - total));
    long healthy = live.stream().filter(i -> i.isHealthy(checked)).count();
    for (Instance o : old.stream().sorted(worstFirst).toList()) {
      if (!o.isHealthy(checked)) {
        kills.add(o.taskId());
      } else if (healthy - 1 >= minHealthy) {
        kills.add(o.taskId());
        healthy--;
      }
    }
    return new Plan(launches, kills, true);
  }
}
