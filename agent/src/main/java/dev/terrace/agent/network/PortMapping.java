package dev.terrace.agent.network;

import java.util.Locale;

/**
 * One host port forwarded to a container port.
 *
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortMapping(int hostPort, int containerPort, String protocol) {
  public PortMapping {
    if (hostPort < 1 || hostPort > 65535 || containerPort < 1 || containerPort > 65535) {
      throw new IllegalArgumentException("ports must be in 1-65535: host " + hostPort
          + ", container " + containerPort);
    }
    protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol.toLowerCase(Locale.ROOT);
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw new IllegalArgumentException("protocol must be tcp or udp: " + protocol);
    }
  }
}
