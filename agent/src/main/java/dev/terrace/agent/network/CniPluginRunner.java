package dev.terrace.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Executes one CNI plugin binary as the CNI specification says: the command, container id, netns
 * path, interface name and plugin path in {@code CNI_*} environment variables, the network
 * configuration on stdin, the result (or an error object) as JSON on stdout. Blocking: call it
 * from a worker thread, never an event loop.
 */
public final class CniPluginRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Path> pluginDirs;
  private final Duration timeout;
  private final Path hostNetns;

  /**
   * @param pluginDirs where plugin binaries are looked up, in order (also {@code CNI_PATH})
   * @param hostNetns the namespace the plugins run in (through {@code nsenter}); null: ours
   */
  public CniPluginRunner(List<Path> pluginDirs, Duration timeout, Path hostNetns) {
    this.pluginDirs = List.copyOf(pluginDirs);
    this.timeout = timeout;
    this.hostNetns = hostNetns;
  }

  /** What identifies one attachment to the plugins. */
  public record Invocation(String containerId, String netnsPath, String ifName) {}

  /** The plugin binary of {@code type}, if one of the plugin directories has it. */
  public Optional<Path> find(String type) {
    if (type == null || type.isEmpty() || type.contains("/")) {
      return Optional.empty();
    }
    return pluginDirs.stream().map(d -> d.resolve(type)).filter(Files::isExecutable).findFirst();
  }

  /**
   * Runs {@code command} (ADD, DEL, CHECK) of the plugin named by {@code config.type} and returns
   * its parsed stdout (an empty object when it printed nothing, as DEL may).
   *
   * @throws CniException when the plugin is missing, exits non-zero (with the plugin's own error
   *     message), times out, or prints something that is not JSON
   */
  public JsonNode run(String command, Invocation inv, ObjectNode config) throws CniException {
    String type = config.path("type").asText();
    Path binary = find(type).orElseThrow(() -> new CniException(
        "CNI plugin '" + type + "' not found in " + pluginDirs));
    Path in = null;
    Path out = null;
    Path err = null;
    try {
      in = Files.createTempFile("terrace-cni", ".in");
      out = Files.createTempFile("terrace-cni", ".out");
      err = Files.createTempFile("terrace-cni", ".err");
      Files.write(in, JSON.writeValueAsBytes(config));
      List<String> argv = hostNetns == null ? List.of(binary.toString())
          : List.of("nsenter", "--net=" + hostNetns, binary.toString());
      ProcessBuilder pb = new ProcessBuilder(argv)
          .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      env.put("CNI_COMMAND", command);
      env.put("CNI_CONTAINERID", inv.containerId());
      env.put("CNI_NETNS", inv.netnsPath());
      env.put("CNI_IFNAME", inv.ifName());
      env.put("CNI_PATH", String.join(File.pathSeparator, pluginDirs.stream().map(Path::toString).toList()));
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new CniException("CNI " + command + " of plugin " + type + " timed out after "
            + timeout.toMillis() + " ms");
      }
      String stdout = Files.readString(out).strip();
      if (p.exitValue() != 0) {
        throw new CniException("CNI " + command + " of plugin " + type + " failed: "
            + errorMessage(stdout, Files.readString(err).strip(), p.exitValue()));
      }
      return stdout.isEmpty() ? JSON.createObjectNode() : JSON.readTree(stdout);
    } catch (IOException e) {
      throw new CniException("CNI " + command + " of plugin " + type + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CniException("interrupted during CNI " + command + " of plugin " + type, e);
    } finally {
      deleteQuietly(in);
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /** The spec's error object ({@code code}, {@code msg}, {@code details}), else the raw output. */
  static String errorMessage(String stdout, String stderr, int exit) {
    try {
      JsonNode e = JSON.readTree(stdout);
      if (e != null && e.hasNonNull("msg")) {
        String details = e.path("details").asText("");
        return e.path("msg").asText() + (details.isEmpty() ? "" : " (" + details + ")")
            + " [code " + e.path("code").asInt() + "]";
      }
    } catch (IOException | RuntimeException ignored) {
      // not JSON: fall back to what it printed
    }
    String detail = !stdout.isEmpty() ? stdout : stderr;
    return "exit " + exit + (detail.isEmpty() ? "" : ": " + detail);
  }

  private static void deleteQuietly(Path f) {
    if (f != null) {
      try {
        Files.deleteIfExists(f);
      } catch (IOException ignored) {
        // a temp file left behind
      }
    }
  }
}
