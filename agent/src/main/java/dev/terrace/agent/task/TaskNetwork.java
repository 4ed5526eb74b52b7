package dev.terrace.agent.task;

import dev.terrace.agent.network.NetworkRequest;
import dev.terrace.agent.network.NetworkSettings;
import dev.terrace.agent.network.PortMapping;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.NetworkInfo;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.Value;
import dev.terrace.common.resources.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which network a task asks for, from its {@code ContainerInfo} as Mesos reads it: a
 * {@code network_infos} entry with a {@code name} is that CNI network; Docker's {@code BRIDGE}
 * mode is the default {@value NetworkSettings#DEFAULT_NETWORK} network; anything else is the
 * host's network. Pure.
 */
public final class TaskNetwork {
  private TaskNetwork() {}

  /** The network request of {@code task}, or empty for host networking. */
  public static Optional<NetworkRequest> request(TaskInfo task) {
    ContainerInfo c = task.container();
    if (c == null) {
      return Optional.empty();
    }
    for (NetworkInfo n : c.networkInfos()) {
      if (n.name() != null && !n.name().isEmpty()) {
        return Optional.of(new NetworkRequest(n.name(), mappings(n.portMappings())));
      }
    }
    if (c.docker() != null && "BRIDGE".equalsIgnoreCase(c.docker().network())) {
      return Optional.of(new NetworkRequest(NetworkSettings.DEFAULT_NETWORK,
          mappings(c.docker().portMappings())));
    }
    return Optional.empty();
  }

  /**
   * Why {@code task}'s networking cannot be honoured, if it cannot: more than one named network,
   * port mappings out of range, one host port mapped twice, or a host port that is not in the
   * task's own {@code ports} resource (a task may only use host ports it was offered).
   */
  public static Optional<String> invalid(TaskInfo task) {
    ContainerInfo c = task.container();
    if (c == null) {
      return Optional.empty();
    }
    long named = c.networkInfos().stream().filter(n -> n.name() != null && !n.name().isEmpty()).count();
    if (named > 1) {
      return Optional.of("Task '" + task.taskId().value() + "' joins " + named
          + " networks; Terrace supports one per container");
    }
    List<NetworkInfo.PortMapping> all = new ArrayList<>();
    c.networkInfos().forEach(n -> all.addAll(n.portMappings()));
    if (c.docker() != null && c.docker().portMappings() != null) {
      all.addAll(c.docker().portMappings());
    }
    if (!all.isEmpty() && request(task).isEmpty()) {
      return Optional.of("Task '" + task.taskId().value()
          + "' has port mappings but no network to map them to (name a network in network_infos)");
    }
    List<Value.Range> ports;
    try {
      ports = Resources.of(task.resources()).ranges("ports");
    } catch (IllegalArgumentException e) {
      return Optional.of("Task '" + task.taskId().value() + "' has invalid resources: " + e.getMessage());
    }
    Map<String, Long> seen = new java.util.HashMap<>();
    for (NetworkInfo.PortMapping m : all) {
      try {
        new PortMapping(Math.toIntExact(m.hostPort()), Math.toIntExact(m.containerPort()), m.protocol());
      } catch (IllegalArgumentException | ArithmeticException e) {
        return Optional.of("Task '" + task.taskId().value() + "' has an invalid port mapping: "
            + e.getMessage());
      }
      String key = (m.protocol() == null ? "tcp" : m.protocol().toLowerCase()) + "/" + m.hostPort();
      if (seen.put(key, m.containerPort()) != null) {
        return Optional.of("Task '" + task.taskId().value() + "' maps host port " + key + " twice");
      }
      if (ports.stream().noneMatch(r -> r.begin() <= m.hostPort() && m.hostPort() <= r.end())) {
        return Optional.of("Task '" + task.taskId().value() + "' maps host port " + m.hostPort()
            + " which is not in its 'ports' resource " + ports);
      }
    }
    return Optional.empty();
  }

  /**
   * {@code PORT0}, {@code PORT1}, ... for each host port of the task's {@code ports} resource in
   * ascending order, and {@code PORTS} listing them comma-separated; nothing without ports.
   */
  public static Map<String, String> portEnvironment(TaskInfo task) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    List<Long> ports = new ArrayList<>();
    try {
      for (Value.Range r : Resources.of(task.resources()).ranges("ports")) {
        for (long p = r.begin(); p <= r.end() && ports.size() < 1000; p++) {
          ports.add(p);
        }
      }
    } catch (IllegalArgumentException e) {
      return env;
    }
    ports.sort(null);
    for (int i = 0; i < ports.size(); i++) {
      env.put("PORT" + i, Long.toString(ports.get(i)));
    }
    if (!ports.isEmpty()) {
      env.put("PORTS", String.join(",", ports.stream().map(String::valueOf).toList()));
    }
    return env;
  }

  private static List<PortMapping> mappings(List<NetworkInfo.PortMapping> given) {
    if (given == null) {
      return List.of();
    }
    return given.stream().map(m -> new PortMapping(Math.toIntExact(m.hostPort()),
        Math.toIntExact(m.containerPort()), m.protocol())).toList();
  }
}
