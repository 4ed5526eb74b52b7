package dev.terrace.common.network;

import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.NetworkInfo;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.Value;
import dev.terrace.common.resources.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What makes a task's networking valid, checked by the master at launch and again by the agent:
 * at most one named network, port mappings only on a network, ports in 1-65535 over tcp or udp,
 * no host port mapped twice, and every mapped host port within the task's own {@code ports}
 * resource (a task may only use host ports it was offered). Pure.
 */
public final class TaskNetworkRules {
  private TaskNetworkRules() {}

  /** The name Docker's {@code BRIDGE} mode maps to: the agents' default bridge network. */
  public static final String DEFAULT_NETWORK = "terrace";

  /** The named network the task joins (Docker BRIDGE: the default one), or empty for the host's. */
  public static Optional<String> networkName(ContainerInfo c) {
    if (c == null) {
      return Optional.empty();
    }
    for (NetworkInfo n : c.networkInfos()) {
      if (n.name() != null && !n.name().isEmpty()) {
        return Optional.of(n.name());
      }
    }
    if (c.docker() != null && "BRIDGE".equalsIgnoreCase(c.docker().network())) {
      return Optional.of(DEFAULT_NETWORK);
    }
    return Optional.empty();
  }

  /** Every port mapping of the task, from its network infos and its Docker info. */
  public static List<NetworkInfo.PortMapping> portMappings(ContainerInfo c) {
    List<NetworkInfo.PortMapping> all = new ArrayList<>();
    if (c == null) {
      return all;
    }
    c.networkInfos().forEach(n -> all.addAll(n.portMappings()));
    if (c.docker() != null && c.docker().portMappings() != null) {
      all.addAll(c.docker().portMappings());
    }
    return all;
  }

  /** Why the task's networking is invalid (a sentence for TASK_ERROR), or empty when it is fine. */
  public static Optional<String> invalid(TaskInfo task) {
    ContainerInfo c = task.container();
    if (c == null) {
      return Optional.empty();
    }
    String id = task.taskId() == null ? "" : task.taskId().value();
    long named = c.networkInfos().stream().filter(n -> n.name() != null && !n.name().isEmpty()).count();
    if (named > 1) {
      return Optional.of("Task '" + id + "' joins " + named
          + " networks; Terrace supports one per container");
    }
    List<NetworkInfo.PortMapping> all = portMappings(c);
    if (all.isEmpty()) {
      return Optional.empty();
    }
    if (networkName(c).isEmpty()) {
      return Optional.of("Task '" + id + "' has port mappings but no network to map them to"
          + " (name a network in network_infos)");
    }
    List<Value.Range> ports;
    try {
      ports = Resources.of(task.resources()).ranges("ports");
    } catch (IllegalArgumentException e) {
      return Optional.of("Task '" + id + "' has invalid resources: " + e.getMessage());
    }
    Set<String> seen = new HashSet<>();
    for (NetworkInfo.PortMapping m : all) {
      String protocol = m.protocol() == null || m.protocol().isEmpty() ? "tcp"
          : m.protocol().toLowerCase(Locale.ROOT);
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        return Optional.of("Task '" + id + "' maps protocol '" + m.protocol()
            + "'; only tcp and udp can be mapped");
      }
      if (m.hostPort() < 1 || m.hostPort() > 65535 || m.containerPort() < 1
          || m.containerPort() > 65535) {
        return Optional.of("Task '" + id + "' maps host port " + m.hostPort() + " to container port "
            + m.containerPort() + "; both must be in 1-65535");
      }
      if (!seen.add(protocol + "/" + m.hostPort())) {
        return Optional.of("Task '" + id + "' maps host port " + protocol + "/" + m.hostPort()
            + " twice");
      }
      if (ports.stream().noneMatch(r -> r.begin() <= m.hostPort() && m.hostPort() <= r.end())) {
        return Optional.of("Task '" + id + "' maps host port " + m.hostPort()
            + " which is not in its 'ports' resource " + describe(ports));
      }
    }
    return Optional.empty();
  }

  private static String describe(List<Value.Range> ranges) {
    if (ranges.isEmpty()) {
      return "(it has none)";
    }
    return ranges.stream().map(r -> r.begin() == r.end() ? Long.toString(r.begin())
        : r.begin() + "-" + r.end()).toList().toString();
  }
}
