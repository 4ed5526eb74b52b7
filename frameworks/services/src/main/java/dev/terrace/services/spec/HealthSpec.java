package dev.terrace.services.spec;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.HealthCheck;
import java.util.List;

/**
 * A service's health check, run by the agent next to each instance: {@code HTTP} (a GET of
 * {@code path} on the instance's host port {@code portIndex}; 2xx/3xx is healthy), {@code TCP}
 * (a connect to that port) or {@code COMMAND} (run inside the container; exit 0 is healthy). After
 * {@code maxConsecutiveFailures} failures past the grace period the agent kills the instance, and
 * the framework replaces it.
 */
public record HealthSpec(HealthCheck.Type type, String path, Integer portIndex, String command,
    Double gracePeriodSeconds, Double intervalSeconds, Double timeoutSeconds, Integer maxConsecutiveFailures) {

  public HealthSpec withDefaults() {
    return new HealthSpec(type, path == null && type == HealthCheck.Type.HTTP ? "/" : path,
        portIndex == null ? 0 : portIndex, command, gracePeriodSeconds == null ? 10.0 : gracePeriodSeconds,
        intervalSeconds == null ? 2.0 : intervalSeconds, timeoutSeconds == null ? 2.0 : timeoutSeconds,
        maxConsecutiveFailures == null ? 3 : maxConsecutiveFailures);
  }

  /** The Mesos health check for an instance whose host ports are {@code ports}. */
  public HealthCheck toHealthCheck(List<Integer> ports) {
    Integer port = ports.isEmpty() || portIndex >= ports.size() ? null : ports.get(portIndex);
    return new HealthCheck(type, 0.0, intervalSeconds, timeoutSeconds, maxConsecutiveFailures, gracePeriodSeconds,
        type == HealthCheck.Type.COMMAND ? CommandInfo.shell(command) : null,
        type == HealthCheck.Type.HTTP ? new HealthCheck.Http(null, "http", port, path, null) : null,
        type == HealthCheck.Type.TCP ? new HealthCheck.Tcp(null, port) : null);
  }

  String problem(int portCount) {
    if (type == null || type == HealthCheck.Type.UNKNOWN) {
      return "health check type must be HTTP, TCP or COMMAND";
    }
    if (type == HealthCheck.Type.COMMAND && (command == null || command.isBlank())) {
      return "a COMMAND health check needs a command";
    }
    if (type != HealthCheck.Type.COMMAND && portIndex >= portCount) {
      return "the " + type + " health check uses port index " + portIndex + " but the service has "
          + portCount + " port(s)";
    }
    if (intervalSeconds <= 0 || timeoutSeconds <= 0 || gracePeriodSeconds < 0 || maxConsecutiveFailures < 1) {
      return "health check interval and timeout must be above 0, grace at least 0, failures at least 1";
    }
    return null;
  }
}
