package dev.terrace.agent.network;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the agent finds its CNI networks and plugins, where it keeps network state, and the shape
 * of the {@value #DEFAULT_NETWORK} network it configures out of the box.
 *
 * @param configDir CNI network configurations ({@code *.conflist}, {@code *.conf}, {@code *.json})
 * @param pluginDirs CNI plugin binaries, searched in order
 * @param stateDir attachment checkpoints, network namespace files and host-local IP leases
 * @param defaultCidr the IPv4 subnet of the default network's bridge
 * @param defaultBridge the Linux bridge of the default network (at most 15 characters)
 * @param pluginNetns the network namespace (a file such as {@code /run/netns/NAME}) whose side
 *     the plugins act on: where bridges, host veth ends, routes and iptables rules go; null for
 *     the agent's own. Tests and benchmarks give a namespace of their own, so nothing they do
 *     touches the machine's network.
 */
public record NetworkSettings(
    Path configDir, List<Path> pluginDirs, Path stateDir, String defaultCidr, String defaultBridge,
    Path pluginNetns) {

  /** The bridge network every agent has unless its config directory says otherwise. */
  public static final String DEFAULT_NETWORK =
      dev.terrace.common.network.TaskNetworkRules.DEFAULT_NETWORK;
  /** Private, and away from what Docker (172.17/16), podman (10.88/16) and k8s usually take. */
  public static final String DEFAULT_CIDR = "10.237.0.0/16";
  public static final String DEFAULT_BRIDGE = "terrace0";
  public static final Path DEBIAN_PLUGIN_DIR = Path.of("/usr/lib/cni");

  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
  private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

  public NetworkSettings {
    Objects.requireNonNull(configDir, "configDir");
    Objects.requireNonNull(stateDir, "stateDir");
    pluginDirs = List.copyOf(pluginDirs);
    var m = CIDR.matcher(defaultCidr);
    if (!m.matches() || Integer.parseInt(m.group(5)) > 30 || Integer.parseInt(m.group(5)) < 8
        || java.util.stream.IntStream.rangeClosed(1, 4).anyMatch(i -> Integer.parseInt(m.group(i)) > 255)) {
      throw new IllegalArgumentException("network CIDR must be an IPv4 subnet a.b.c.d/8..30: "
          + defaultCidr);
    }
    if (!BRIDGE.matcher(defaultBridge).matches()) {
      throw new IllegalArgumentException("bridge name must be 1-15 letters, digits, '_', '.', '-': "
          + defaultBridge);
    }
  }

  /** Configs in {@code <workDir>/network/cni}, Debian's plugins, the default subnet and bridge. */
  public static NetworkSettings defaults(Path workDir) {
    Path state = workDir.resolve("network");
    return new NetworkSettings(state.resolve("cni"), List.of(DEBIAN_PLUGIN_DIR), state,
        DEFAULT_CIDR, DEFAULT_BRIDGE, null);
  }

  public NetworkSettings withConfigDir(Path dir) {
    return new NetworkSettings(dir, pluginDirs, stateDir, defaultCidr, defaultBridge, pluginNetns);
  }

  public NetworkSettings withPluginDirs(List<Path> dirs) {
    return new NetworkSettings(configDir, dirs, stateDir, defaultCidr, defaultBridge, pluginNetns);
  }

  public NetworkSettings withDefaultNetwork(String cidr, String bridge) {
    return new NetworkSettings(configDir, pluginDirs, stateDir, cidr, bridge, pluginNetns);
  }

  public NetworkSettings withPluginNetns(Path netns) {
    return new NetworkSettings(configDir, pluginDirs, stateDir, defaultCidr, defaultBridge, netns);
  }
}
