package dev.terrace.agent.network;

import dev.terrace.agent.runtime.CommandResult;
import dev.terrace.agent.runtime.CommandRunner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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
    CommandResult r = new CommandRunner().run(List.of(argv), Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new IOException(r.describe());
    }
    return r.stdout();
  }

  @Override
  public void close() throws IOException {
    sh("ip", "netns", "del", name);
  }
}
