package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import java.util.List;

/** Mesos `HealthCheck`: a COMMAND, HTTP or TCP probe with its timing. */
public record HealthCheck(
    Type type,
    Double delaySeconds,
    Double intervalSeconds,
    Double timeoutSeconds,
    Integer consecutiveFailures,
    Double gracePeriodSeconds,
    CommandInfo command,
    Http http,
    Tcp tcp) {

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    COMMAND,
    HTTP,
    TCP
  }

  public record Http(String protocol, String scheme, Integer port, String path, List<Integer> statuses) {}

  public record Tcp(String protocol, Integer port) {}
}
