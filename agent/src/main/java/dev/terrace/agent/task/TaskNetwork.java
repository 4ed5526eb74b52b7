package dev.terrace.agent.task;

import dev.terrace.agent.network.NetworkRequest;
import dev.terrace.agent.network.PortMapping;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.network.TaskNetworkRules;
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
 * mode is the default {@value TaskNetworkRules#DEFAULT_NETWORK} network; anything else is the
 * host's network. Pure.
 */
public final class TaskNetwork {
  private TaskNetwork() {}

  /** The network request of {@code task}, or empty for host networking. */
  public static Optional<NetworkRequest> request(TaskInfo task) {
    ContainerInfo c = task.container();
    return TaskNetworkRules.networkName(c).map(name ->
        new NetworkRequest(name, mappings(TaskNetworkRules.portMappings(c))));
  }

  /** Why {@code task}'s networking cannot be honoured, if it cannot (see {@link TaskNetworkRules}). */
  public static Optional<String> invalid(TaskInfo task) {
    return TaskNetworkRules.invalid(task);
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

  /**
   * The name of the network namespace shared by the tasks of a framework's task group: a digest,
   * so any executor id gives a safe file name and two frameworks' groups never meet.
   */
  public static String groupKey(dev.terrace.common.model.FrameworkId framework, String group) {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
          (framework.value() + "\0" + group).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "group-" + java.util.HexFormat.of().formatHex(d).substring(0, 24);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<PortMapping> mappings(List<NetworkInfo.PortMapping> given) {
    if (given == null) {
      return List.of();
    }
    return given.stream().map(m -> new PortMapping(Math.toIntExact(m.hostPort()),
        Math.toIntExact(m.containerPort()), m.protocol())).toList();
  }
}
