package dev.terrace.services.spec;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.sdk.placement.Constraint;
import java.util.List;
import java.util.Map;

/**
 * A long-running service: {@code instances} copies of a command (in an image, or on the host)
 * kept healthy. {@code ports} asks for host ports, one per entry: 0 takes any free port from the
 * offer, another number that exact port; an instance sees them as {@code $PORT0}, {@code $PORT1}...
 * and {@code $PORTS}. Deploys of a new version roll: never fewer than
 * {@code minimumHealthCapacity * instances} healthy instances, never more than
 * {@code (1 + maximumOverCapacity) * instances} in all.
 */
public record ServiceSpec(
    String name,
    String image,
    String command,
    Double cpus,
    Double mem,
    Double disk,
    Integer instances,
    List<Integer> ports,
    HealthSpec health,
    List<Constraint> constraints,
    Map<String, String> env,
    Map<String, String> labels,
    List<CommandInfo.Uri> uris,
    String role,
    Double killGraceSeconds,
    Double minimumHealthCapacity,
    Double maximumOverCapacity,
    Double backoffSeconds) {

  public ServiceSpec {
    ports = ports == null ? List.of() : List.copyOf(ports);
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    env = env == null ? Map.of() : Map.copyOf(env);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    uris = uris == null ? List.of() : List.copyOf(uris);
  }

  public ServiceSpec withDefaults() {
    return new ServiceSpec(name, image, command, or(cpus, 0.1), or(mem, 32.0), or(disk, 0.0), or(instances, 1),
        ports, health == null ? null : health.withDefaults(), constraints, env, labels, uris, or(role, "*"),
        or(killGraceSeconds, 3.0), or(minimumHealthCapacity, 1.0), or(maximumOverCapacity, 1.0),
        or(backoffSeconds, 1.0));
  }

  public ServiceSpec withInstances(int n) {
    return new ServiceSpec(name, image, command, cpus, mem, disk, n, ports, health, constraints, env, labels, uris,
        role, killGraceSeconds, minimumHealthCapacity, maximumOverCapacity, backoffSeconds);
  }

  public ServiceSpec withName(String n) {
    return new ServiceSpec(n, image, command, cpus, mem, disk, instances, ports, health, constraints, env, labels,
        uris, role, killGraceSeconds, minimumHealthCapacity, maximumOverCapacity, backoffSeconds);
  }

  private static <T> T or(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
