package dev.terrace.common.model;

/**
 * Mesos `MasterInfo`, what the leading master publishes in ZooKeeper and sends to frameworks.
 * {@code ip} is the IPv4 address packed in an unsigned 32-bit number in network order, as Mesos
 * writes it; {@code address} carries the same address as text.
 */
public record MasterInfo(
    String id, Long ip, Integer port, String pid, String hostname, String version, Address address) {

  /** {@code http://host:port}, the base URL of this master's HTTP API. */
  public String baseUrl() {
    String host = address != null && address.hostname() != null ? address.hostname() : hostname;
    if (address != null && address.ip() != null) {
      host = address.ip();
    }
    return "http://" + host + ":" + port;
  }

  /** Packs a dotted IPv4 address as Mesos does (first octet in the lowest byte). */
  public static long packIpv4(String dotted) {
    String[] parts = dotted.split("\\.");
    if (parts.length != 4) {
      return 0;
    }
    long ip = 0;
    for (int i = 3; i >= 0; i--) {
      ip = (ip << 8) | (Integer.parseInt(parts[i]) & 0xff);
    }
    return ip;
  }
}
