package dev.terrace.agent.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace a test makes to stand for the agent host's network, so that bridges, veth
 * ends, routes and iptables rules of the CNI plugins never touch the machine's own. Unique name
 * per instance; {@link #close} deletes it (and with it everything the plugins put there).
 */
final class HostNamespace implements AutoCloseable {
  final String name = "tnet-" + UUID.randomUUID().toString().substring(0, 8);

  HostNamespace() throws IOException {
    sh("ip", "netns", "add", name);
    sh("ip", "-n", name, "link", "set", "lo", "up");
  }

  Path path() {
    return Path.of("/run/netns", name);
  }

  /** Runs {@code argv} in this namespace and returns its stdout (stderr appended on failure). */
  String exec(String... argv) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(List.of(argv));
    return sh(cmd.toArray(String[]::new));
  }

  static String sh(String... argv) throws IOException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", argv));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + ": exit " + p.exitValue() + ": " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    sh("ip", "netns", "del", name);
  }
}
