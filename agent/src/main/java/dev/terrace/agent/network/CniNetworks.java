package dev.terrace.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts containers on CNI networks and takes them off again, driving the plugins of each network's
 * chain directly (ADD in order with each result passed on as {@code prevResult}, DEL in reverse).
 * Each container gets a network namespace of its own from {@link NetworkNamespaces}; its
 * {@link NetworkAttachment} is checkpointed before the namespace exists and after the plugins
 * answer, so {@link #release} can undo everything after any crash. Blocking throughout: call from
 * the containerizer's worker pool.
 */
public final class CniNetworks {
  private static final Logger LOG = LoggerFactory.getLogger(CniNetworks.class);
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final String IF_NAME = "eth0";

  private final NetworkSettings settings;
  private final CniPluginRunner plugins;
  private final NetworkNamespaces namespaces;
  private final Path attachments;

  public CniNetworks(NetworkSettings settings, Duration timeout) {
    this.settings = settings;
    this.plugins = new CniPluginRunner(settings.pluginDirs(), timeout, settings.pluginNetns());
    this.namespaces = new NetworkNamespaces(settings.stateDir().resolve("netns"), timeout);
    this.attachments = settings.stateDir().resolve("attachments");
  }

  public NetworkSettings settings() {
    return settings;
  }

  /**
   * Writes the {@value NetworkSettings#DEFAULT_NETWORK} bridge network into the config directory
   * unless a network of that name is configured there already (an operator's own wins).
   */
  public void ensureDefaultNetwork() throws IOException {
    Files.createDirectories(settings.configDir());
    if (networks().containsKey(NetworkSettings.DEFAULT_NETWORK)) {
      return;
    }
    ObjectNode list = DefaultNetwork.conflist(settings);
    Path file = settings.configDir().resolve(NetworkSettings.DEFAULT_NETWORK + ".conflist");
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, PLAIN.writerWithDefaultPrettyPrinter().writeValueAsBytes(list));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    LOG.info("Wrote the default network '{}' ({} on bridge {}) to {}",
        NetworkSettings.DEFAULT_NETWORK, settings.defaultCidr(), settings.defaultBridge(), file);
  }

  /**
   * The networks of the config directory by name, read afresh (an operator may add one while the
   * agent runs). Files that do not parse are skipped with a warning; of two files naming the same
   * network, the first in file name order wins, as in libcni.
   */
  public Map<String, CniNetworkList> networks() {
    Map<String, CniNetworkList> out = new TreeMap<>();
    if (!Files.isDirectory(settings.configDir())) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(settings.configDir())) {
      files = list.filter(p -> {
        String n = p.getFileName().toString();
        return n.endsWith(".conflist") || n.endsWith(".conf") || n.endsWith(".json");
      }).sorted().toList();
    } catch (IOException e) {
      LOG.warn("Cannot list CNI configs in {}: {}", settings.configDir(), e.getMessage());
      return out;
    }
    for (Path f : files) {
      try {
        CniNetworkList n = CniNetworkList.parse(PLAIN.readTree(f.toFile()));
        out.putIfAbsent(n.name(), n);
      } catch (IOException | CniException e) {
        LOG.warn("Skipping CNI config {}: {}", f, e.getMessage());
      }
    }
    return out;
  }

  /**
   * Creates {@code containerId}'s network namespace and runs every plugin's ADD on it. Returns
   * the attachment with the container's address; on any failure releases what was made and
   * throws with the reason (an unknown network names the ones this agent has).
   */
  public NetworkAttachment attach(String containerId, NetworkRequest request) throws CniException {
    Map<String, CniNetworkList> known = networks();
    CniNetworkList network = known.get(request.name());
    if (network == null) {
      throw new CniException("unknown network '" + request.name() + "'; this agent has "
          + known.keySet());
    }
    if (!request.portMappings().isEmpty() && !network.mapsPorts()) {
      throw new CniException("network '" + request.name()
          + "' has no plugin with the portMappings capability (e.g. portmap), so it cannot map ports");
    }
    NetworkAttachment a = new NetworkAttachment(containerId, network.toJson(), IF_NAME,
        namespaces.path(containerId).toString(), request.portMappings(), null, null);
    checkpoint(a);
    try {
      namespaces.create(containerId);
      CniPluginRunner.Invocation inv =
          new CniPluginRunner.Invocation(containerId, a.netnsPath(), IF_NAME);
      JsonNode result = null;
      for (int i = 0; i < network.plugins().size(); i++) {
        result = plugins.run("ADD", inv, network.pluginConfig(i, result, request.portMappings()));
      }
      String ip = NetworkAttachment.firstIpv4(result);
      if (ip == null) {
        throw new CniException("network '" + request.name() + "' gave the container no IPv4 address");
      }
      NetworkAttachment done = a.withResult(result, ip);
      checkpoint(done);
      LOG.info("Container {} joined network {} at {} (ports {})", containerId, network.name(), ip,
          request.portMappings());
      return done;
    } catch (CniException | RuntimeException e) {
      try {
        release(containerId);
      } catch (CniException cleanup) {
        LOG.warn("Cleanup after a failed network attach of {}: {}", containerId, cleanup.getMessage());
      }
      if (e instanceof CniException c) {
        throw c;
      }
      throw new CniException("cannot attach " + containerId + " to network '" + request.name()
          + "': " + e.getMessage(), e);
    }
  }

  /** The checkpointed attachment of {@code containerId}, if it has one. */
  public Optional<NetworkAttachment> attachment(String containerId) {
    Path f = attachments.resolve(containerId + ".json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.parse(Files.readAllBytes(f), NetworkAttachment.class));
    } catch (IOException | RuntimeException e) {
      LOG.error("Unreadable network checkpoint {}: {}", f, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Runs every plugin's DEL (in reverse order, with the checkpointed configuration and result),
   * removes the namespace, then the checkpoint. Idempotent; a container without an attachment is
   * left alone. When a DEL fails the checkpoint stays, so a later release (or the next start's
   * orphan sweep) tries again, and this throws.
   */
  public void release(String containerId) throws CniException {
    Optional<NetworkAttachment> found = attachment(containerId);
    if (found.isEmpty()) {
      if (Files.exists(namespaces.path(containerId))) {
        namespaces.delete(containerId);
      }
      return;
    }
    NetworkAttachment a = found.get();
    CniNetworkList network = CniNetworkList.parse(a.network());
    CniPluginRunner.Invocation inv = new CniPluginRunner.Invocation(containerId,
        namespaces.exists(containerId) ? a.netnsPath() : "", a.ifName());
    List<String> failures = new ArrayList<>();
    for (int i = network.plugins().size() - 1; i >= 0; i--) {
      try {
        plugins.run("DEL", inv, network.pluginConfig(i, a.result(), a.portMappings()));
      } catch (CniException e) {
        failures.add(e.getMessage());
      }
    }
    namespaces.delete(containerId);
    if (!failures.isEmpty()) {
      throw new CniException("network release of " + containerId + " incomplete: " + failures);
    }
    try {
      Files.deleteIfExists(attachments.resolve(containerId + ".json"));
    } catch (IOException e) {
      throw new CniException("cannot remove the network checkpoint of " + containerId, e);
    }
    LOG.info("Container {} left network {}", containerId, network.name());
  }

  /** Releases every attachment that {@code known} does not name; returns their container ids. */
  public List<String> releaseOrphans(Set<String> known) {
    List<String> released = new ArrayList<>();
    if (!Files.isDirectory(attachments)) {
      return released;
    }
    try (Stream<Path> files = Files.list(attachments)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".json")) {
          continue;
        }
        String id = name.substring(0, name.length() - ".json".length());
        if (!known.contains(id)) {
          try {
            release(id);
            released.add(id);
          } catch (CniException e) {
            LOG.warn("Cannot release the network of orphan container {}: {}", id, e.getMessage());
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list network checkpoints: {}", e.getMessage());
    }
    return released;
  }

  private void checkpoint(NetworkAttachment a) throws CniException {
    try {
      Files.createDirectories(attachments);
      Path file = attachments.resolve(a.containerId() + ".json");
      Path tmp = attachments.resolve(a.containerId() + ".json.tmp");
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(Json.toBytes(a)));
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CniException("cannot checkpoint the network of " + a.containerId() + ": "
          + e.getMessage(), e);
    }
  }
}
