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
  /** One lock per task group: its tasks launch and end on several worker threads at once. */
  private final java.util.concurrent.ConcurrentMap<String, Object> groupLocks =
      new java.util.concurrent.ConcurrentHashMap<>();

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
   *
   * <p>A request with a {@code group} joins that task group's shared namespace instead, made by
   * the group's first task (the chain's ADD under the group key); each task's own port mappings
   * are then added by the port-mapping plugins alone, under its own container id.
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
    if (request.group() == null) {
      return attachAlone(containerId, network, request.portMappings(), null);
    }
    synchronized (groupLock(request.group())) {
      NetworkAttachment shared = attachment(request.group()).filter(a -> a.ip() != null)
          .orElse(null);
      if (shared == null) {
        shared = attachAlone(request.group(), network, List.of(), true);
      } else if (!shared.networkName().equals(network.name())) {
        throw new CniException("the task group is on network '" + shared.networkName()
            + "'; its tasks cannot join '" + network.name() + "' too");
      }
      NetworkAttachment member = new NetworkAttachment(containerId, network.toJson(), IF_NAME,
          shared.netnsPath(), request.portMappings(), shared.result(), shared.ip(),
          request.group(), null);
      checkpoint(member);
      try {
        runPortPlugins("ADD", member, network);
        return member;
      } catch (CniException | RuntimeException e) {
        releaseQuietly(containerId);
        throw e;
      }
    }
  }

  private NetworkAttachment attachAlone(String id, CniNetworkList network,
      List<PortMapping> mappings, Boolean shared) throws CniException {
    NetworkAttachment a = new NetworkAttachment(id, network.toJson(), IF_NAME,
        namespaces.path(id).toString(), mappings, null, null, null, shared);
    checkpoint(a);
    try {
      namespaces.create(id);
      CniPluginRunner.Invocation inv = new CniPluginRunner.Invocation(id, a.netnsPath(), IF_NAME);
      JsonNode result = null;
      for (int i = 0; i < network.plugins().size(); i++) {
        result = plugins.run("ADD", inv, network.pluginConfig(i, result, mappings));
      }
      String ip = NetworkAttachment.firstIpv4(result);
      if (ip == null) {
        throw new CniException("network '" + network.name() + "' gave the container no IPv4 address");
      }
      NetworkAttachment done = a.withResult(result, ip);
      checkpoint(done);
      LOG.info("{} {} joined network {} at {} (ports {})", a.isShared() ? "Task group" : "Container",
          id, network.name(), ip, mappings);
      return done;
    } catch (CniException | RuntimeException e) {
      releaseQuietly(id);
      if (e instanceof CniException c) {
        throw c;
      }
      throw new CniException("cannot attach " + id + " to network '" + network.name() + "': "
          + e.getMessage(), e);
    }
  }

  /** ADD or DEL of only the port-mapping plugins, for one task of a group, under its own id. */
  private void runPortPlugins(String command, NetworkAttachment member, CniNetworkList network)
      throws CniException {
    if (member.portMappings().isEmpty()) {
      return;
    }
    CniPluginRunner.Invocation inv = new CniPluginRunner.Invocation(member.containerId(),
        member.netnsPath(), member.ifName());
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < network.plugins().size(); i++) {
      int index = command.equals("DEL") ? network.plugins().size() - 1 - i : i;
      if (network.plugins().get(index).path("capabilities").path("portMappings").asBoolean(false)) {
        try {
          plugins.run(command, inv, network.pluginConfig(index, member.result(), member.portMappings()));
        } catch (CniException e) {
          if (command.equals("ADD")) {
            throw e;
          }
          failures.add(e.getMessage());
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new CniException("port mappings of " + member.containerId() + " not all removed: "
          + failures);
    }
  }

  private Object groupLock(String group) {
    return groupLocks.computeIfAbsent(group, g -> new Object());
  }

  private void releaseQuietly(String id) {
    try {
      release(id);
    } catch (CniException cleanup) {
      LOG.warn("Cleanup after a failed network attach of {}: {}", id, cleanup.getMessage());
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
   * orphan sweep) tries again, and this throws. A task of a group removes its port mappings, and
   * the group's namespace goes with its last task.
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
    if (a.group() == null) {
      releaseAlone(a);
      return;
    }
    synchronized (groupLock(a.group())) {
      runPortPlugins("DEL", a, CniNetworkList.parse(a.network()));
      removeCheckpoint(containerId);
      if (members(a.group()).isEmpty()) {
        Optional<NetworkAttachment> shared = attachment(a.group());
        if (shared.isPresent()) {
          releaseAlone(shared.get());
        }
      }
    }
  }

  private void releaseAlone(NetworkAttachment a) throws CniException {
    String id = a.containerId();
    CniNetworkList network = CniNetworkList.parse(a.network());
    CniPluginRunner.Invocation inv = new CniPluginRunner.Invocation(id,
        namespaces.exists(id) ? a.netnsPath() : "", a.ifName());
    List<String> failures = new ArrayList<>();
    for (int i = network.plugins().size() - 1; i >= 0; i--) {
      try {
        plugins.run("DEL", inv, network.pluginConfig(i, a.result(), a.portMappings()));
      } catch (CniException e) {
        failures.add(e.getMessage());
      }
    }
    namespaces.delete(id);
    if (!failures.isEmpty()) {
      throw new CniException("network release of " + id + " incomplete: " + failures);
    }
    removeCheckpoint(id);
    LOG.info("{} {} left network {}", a.isShared() ? "Task group" : "Container", id, network.name());
  }

  private void removeCheckpoint(String id) throws CniException {
    try {
      Files.deleteIfExists(attachments.resolve(id + ".json"));
    } catch (IOException e) {
      throw new CniException("cannot remove the network checkpoint of " + id, e);
    }
  }

  /** The ids of the tasks whose attachments use group {@code key}'s namespace. */
  private List<String> members(String key) {
    return all().stream().filter(a -> key.equals(a.group())).map(NetworkAttachment::containerId)
        .toList();
  }

  private List<NetworkAttachment> all() {
    List<NetworkAttachment> out = new ArrayList<>();
    if (!Files.isDirectory(attachments)) {
      return out;
    }
    try (Stream<Path> files = Files.list(attachments)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".json")) {
          attachment(name.substring(0, name.length() - ".json".length())).ifPresent(out::add);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list network checkpoints: {}", e.getMessage());
    }
    return out;
  }

  /**
   * Releases every attachment that {@code known} does not name (a task group's shared namespace
   * goes once none of its tasks is left); returns their ids.
   */
  public List<String> releaseOrphans(Set<String> known) {
    List<String> released = new ArrayList<>();
    for (NetworkAttachment a : all()) {
      if (!a.isShared() && !known.contains(a.containerId())) {
        try {
          release(a.containerId());
          released.add(a.containerId());
        } catch (CniException e) {
          LOG.warn("Cannot release the network of orphan container {}: {}", a.containerId(),
              e.getMessage());
        }
      }
    }
    for (NetworkAttachment a : all()) {
      if (a.isShared() && members(a.containerId()).isEmpty()) {
        try {
          synchronized (groupLock(a.containerId())) {
            releaseAlone(a);
          }
          released.add(a.containerId());
        } catch (CniException e) {
          LOG.warn("Cannot release the network of task group {}: {}", a.containerId(), e.getMessage());
        }
      }
    }
    return released;
  }

  /**
   * Writes {@code a}'s checkpoint atomically (temp file, rename), without fsync: it guards against
   * the death of the agent process, after which the page cache keeps it. A power loss takes the
   * kernel's side (namespaces, veths, iptables rules) with it anyway, and fsync would cost every
   * launch tens of milliseconds on a busy disk.
   */
  private void checkpoint(NetworkAttachment a) throws CniException {
    try {
      Files.createDirectories(attachments);
      Path file = attachments.resolve(a.containerId() + ".json");
      Path tmp = attachments.resolve(a.containerId() + ".json.tmp");
      try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(Json.toBytes(a)));
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new CniException("cannot checkpoint the network of " + a.containerId() + ": "
          + e.getMessage(), e);
    }
  }
}
