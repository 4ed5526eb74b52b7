package dev.terrace.agent.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf} of a container with
 * a network namespace of its own: its name resolves to its own address, and it uses the agent
 * host's resolvers (loopback resolvers, such as a local stub, are dropped: they are unreachable
 * from the container's namespace).
 */
public final class EtcFiles {
  public static final List<String> NAMES = List.of("hosts", "hostname", "resolv.conf");

  private EtcFiles() {}

  /** Writes the three files into {@code dir} and returns it. */
  public static Path write(Path dir, String hostname, String ip, Path hostResolvConf)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("hostname"), hostname + "\n");
    Files.writeString(dir.resolve("hosts"), hosts(hostname, ip));
    String resolv = Files.isReadable(hostResolvConf) ? Files.readString(hostResolvConf) : "";
    Files.writeString(dir.resolve("resolv.conf"), resolvConf(resolv));
    return dir;
  }

  static String hosts(String hostname, String ip) {
    return "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        + ip + "\t" + hostname + "\n";
  }

  static String resolvConf(String host) {
    StringBuilder out = new StringBuilder();
    for (String line : host.split("\n")) {
      String t = line.strip();
      if (t.startsWith("nameserver") && (t.contains(" 127.") || t.contains(" ::1"))) {
        continue;
      }
      if (!t.isEmpty()) {
        out.append(t).append('\n');
      }
    }
    return out.toString();
  }
}
