package dev.terrace.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Executes one CNI plugin binary as the CNI specification says: the command, container id, netns
 * path, interface name and plugin path in {@code CNI_*} environment variables, the network
 * configuration on stdin, the result (or an error object) as JSON on stdout. Blocking: call it
 * from a worker thread, never an event loop.
 */
public final class CniPluginRunner {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Kills plugins that outlive their timeout; one daemon thread for every runner. */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cni-watchdog"));
  /** Drains plugins' stderr while their stdout is read (daemon threads, reused). */
  private static final ExecutorService STDERR_READERS =
      Executors.newCachedThreadPool(r -> daemon(r, "cni-stderr"));

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

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
    List<String> argv = hostNetns == null ? List.of(binary.toString())
        : List.of("nsenter", "--net=" + hostNetns, binary.toString());
    ProcessBuilder pb = new ProcessBuilder(argv);
    Map<String, String> env = pb.environment();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", inv.containerId());
    env.put("CNI_NETNS", inv.netnsPath());
    env.put("CNI_IFNAME", inv.ifName());
    env.put("CNI_PATH", String.join(File.pathSeparator, pluginDirs.stream().map(Path::toString).toList()));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new CniException("CNI " + command + " of plugin " + type + ": " + e.getMessage(), e);
    }
    // Pipes, no temp files: a plugin reads a small config and writes a small result. A watchdog
    // kills a plugin that hangs, which ends the reads below.
    var watchdog = WATCHDOG.schedule(p::destroyForcibly, timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> {
        try {
          return p.getErrorStream().readAllBytes();
        } catch (IOException e) {
          return new byte[0];
        }
      }, STDERR_READERS);
      try (OutputStream in = p.getOutputStream()) {
        in.write(JSON.writeValueAsBytes(config));
      } catch (IOException e) {
        // the plugin may exit without reading stdin (e.g. an early error): its exit says why
      }
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      int exit = p.waitFor();
      if (watchdog.isDone()) {
        throw new CniException("CNI " + command + " of plugin " + type + " timed out after "
            + timeout.toMillis() + " ms");
      }
      if (exit != 0) {
        String err = new String(stderr.join(), StandardCharsets.UTF_8).strip();
        throw new CniException("CNI " + command + " of plugin " + type + " failed: "
            + errorMessage(stdout, err, exit));
      }
      return stdout.isEmpty() ? JSON.createObjectNode() : JSON.readTree(stdout);
    } catch (IOException e) {
      throw new CniException("CNI " + command + " of plugin " + type + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CniException("interrupted during CNI " + command + " of plugin " + type, e);
    } finally {
      watchdog.cancel(false);
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
}
