package dev.terrace.bench.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrace.agent.network.CniNetworkList;
import dev.terrace.agent.network.PortMapping;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The baseline: the CNI plugins driven directly, as a minimal runtime would: a namespace from
 * {@code unshare --net=FILE}, each plugin exec'd (in the bench's host namespace) with the spec's
 * environment and its config piped to stdin, ADD in order, DEL in reverse, the namespace
 * unmounted. No checkpoints, no config directory, no loopback setup: only what CNI itself needs.
 */
final class DirectCni {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CniNetworkList network;
  private final Path pluginDir;
  private final Path hostNetns;
  private final Path nsDir;

  DirectCni(CniNetworkList network, Path pluginDir, Path hostNetns, Path nsDir) throws IOException {
    this.network = network;
    this.pluginDir = pluginDir;
    this.hostNetns = hostNetns;
    this.nsDir = Files.createDirectories(nsDir);
  }

  /** One container's worth: namespace, ADD of the chain, DEL of the chain, namespace gone. */
  void addAndDelete(String id, List<PortMapping> ports) throws IOException, InterruptedException {
    Path ns = nsDir.resolve(id);
    Files.createFile(ns);
    exec(List.of("unshare", "--net=" + ns, "true"), null, Map.of());
    JsonNode result = null;
    for (int i = 0; i < network.plugins().size(); i++) {
      result = JSON.readTree(plugin("ADD", id, ns, network.pluginConfig(i, result, ports)));
    }
    for (int i = network.plugins().size() - 1; i >= 0; i--) {
      plugin("DEL", id, ns, network.pluginConfig(i, result, ports));
    }
    exec(List.of("umount", ns.toString()), null, Map.of());
    Files.delete(ns);
  }

  private String plugin(String command, String id, Path ns, JsonNode config)
      throws IOException, InterruptedException {
    String type = config.path("type").asText();
    return exec(List.of("nsenter", "--net=" + hostNetns, pluginDir.resolve(type).toString()),
        JSON.writeValueAsBytes(config), Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", id,
            "CNI_NETNS", ns.toString(), "CNI_IFNAME", "eth0", "CNI_PATH", pluginDir.toString()));
  }

  private static String exec(List<String> argv, byte[] stdin, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", argv) + ": " + out);
    }
    return out;
  }
}
