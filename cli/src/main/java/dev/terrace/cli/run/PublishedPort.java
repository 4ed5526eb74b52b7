package dev.terrace.cli.run;

import dev.terrace.common.model.NetworkInfo;
import dev.terrace.common.model.Value;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code -p} of {@code terrace run}: {@code HOST_PORT:CONTAINER_PORT} or {@code CONTAINER_PORT}
 * (any free host port of the offer), with an optional {@code /tcp} or {@code /udp}.
 *
 * @param hostPort the host port asked for, 0 for any
 */
public record PublishedPort(int hostPort, int containerPort, String protocol) {

  /** Parses one {@code -p} value; throws with what is wrong. */
  public static PublishedPort parse(String text) {
    String spec = text.strip();
    String protocol = "tcp";
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      protocol = spec.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
      spec = spec.substring(0, slash);
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        throw new IllegalArgumentException("-p " + text + ": protocol must be tcp or udp");
      }
    }
    String[] parts = spec.split(":", -1);
    if (parts.length > 2) {
      throw new IllegalArgumentException("-p " + text + ": use HOST_PORT:CONTAINER_PORT or CONTAINER_PORT");
    }
    int host = parts.length == 2 ? port(parts[0], text) : 0;
    int container = port(parts[parts.length - 1], text);
    return new PublishedPort(host, container, protocol);
  }

  private static int port(String s, String text) {
    try {
      int p = Integer.parseInt(s);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    throw new IllegalArgumentException("-p " + text + ": '" + s + "' is not a port (1-65535)");
  }

  /**
   * Host ports for {@code wanted} from an offer's {@code ports} ranges: each fixed host port must
   * be offered, each automatic one gets the lowest offered port not taken yet. Empty when the
   * offer cannot satisfy all of them.
   */
  public static Optional<List<NetworkInfo.PortMapping>> assign(List<PublishedPort> wanted,
      List<Value.Range> offered) {
    Set<Long> taken = new HashSet<>();
    for (PublishedPort p : wanted) {
      if (p.hostPort() != 0) {
        if (!offers(offered, p.hostPort()) || !taken.add((long) p.hostPort())) {
          return Optional.empty();
        }
      }
    }
    List<NetworkInfo.PortMapping> out = new ArrayList<>();
    for (PublishedPort p : wanted) {
      long host = p.hostPort();
      if (host == 0) {
        host = firstFree(offered, taken);
        if (host < 0) {
          return Optional.empty();
        }
        taken.add(host);
      }
      out.add(new NetworkInfo.PortMapping(host, p.containerPort(), p.protocol()));
    }
    return Optional.of(out);
  }

  private static boolean offers(List<Value.Range> ranges, long port) {
    return ranges.stream().anyMatch(r -> r.begin() <= port && port <= r.end());
  }

  private static long firstFree(List<Value.Range> ranges, Set<Long> taken) {
    List<Value.Range> sorted = new ArrayList<>(ranges);
    sorted.sort(java.util.Comparator.comparingLong(Value.Range::begin));
    for (Value.Range r : sorted) {
      for (long p = r.begin(); p <= r.end(); p++) {
        if (!taken.contains(p)) {
          return p;
        }
      }
    }
    return -1;
  }

  /** The host ports of {@code mappings} as {@code ports} ranges (one range per port). */
  public static List<Value.Range> asRanges(List<NetworkInfo.PortMapping> mappings) {
    return mappings.stream().map(m -> new Value.Range(m.hostPort(), m.hostPort()))
        .sorted(java.util.Comparator.comparingLong(Value.Range::begin)).toList();
  }
}
