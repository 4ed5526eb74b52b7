package dev.terrace.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How an agent runs containers: the flags `agent` and `local` share (a picocli mixin). */
final class ContainerOptions {
  @Option(names = "--runtime", defaultValue = "${env:TERRACE_RUNTIME:-auto}",
      description = "OCI runtime: auto (crun if it works here, else runc), crun or runc (env TERRACE_RUNTIME).")
  String runtime;

  @Option(names = "--mount-missing-cgroups", defaultValue = "${env:TERRACE_MOUNT_MISSING_CGROUPS:-false}",
      description = "Mount cgroup v1 hierarchies crun needs but the host lacks (env TERRACE_MOUNT_MISSING_CGROUPS).")
  boolean mountMissingCgroups;

  @Option(names = "--container-monitor", defaultValue = "${env:TERRACE_CONTAINER_MONITOR:-terrace}",
      description = "Per-container monitor: terrace (our own, built into the agent) or conmon"
          + " (Debian's; slower to launch) (env TERRACE_CONTAINER_MONITOR, default ${DEFAULT-VALUE}).")
  String containerMonitor;

  @Option(names = "--insecure-registries", defaultValue = "${env:TERRACE_INSECURE_REGISTRIES}",
      description = "Comma list of host:port registries reached over plain HTTP (loopback always is)"
          + " (env TERRACE_INSECURE_REGISTRIES).")
  String insecureRegistries;

  @Option(names = "--docker-config", defaultValue = "${env:TERRACE_DOCKER_CONFIG}",
      description = "A Docker config.json whose 'auths' hold registry credentials (env TERRACE_DOCKER_CONFIG).")
  Path dockerConfig;

  @Option(names = "--cni-config-dir", defaultValue = "${env:TERRACE_CNI_CONFIG_DIR}",
      description = "CNI network configurations (*.conflist, *.conf); the agent writes its default"
          + " 'terrace' bridge network there unless one is configured (env TERRACE_CNI_CONFIG_DIR,"
          + " default WORK_DIR/network/cni).")
  Path cniConfigDir;

  @Option(names = "--cni-plugins-dir", defaultValue = "${env:TERRACE_CNI_PLUGINS_DIR:-/usr/lib/cni}",
      description = "Where the CNI plugin binaries are; several separated by ':' "
          + "(env TERRACE_CNI_PLUGINS_DIR, default ${DEFAULT-VALUE}).")
  String cniPluginsDir;

  @Option(names = "--network-cidr", defaultValue = "${env:TERRACE_NETWORK_CIDR:-10.237.0.0/16}",
      description = "IPv4 subnet of the default 'terrace' bridge network "
          + "(env TERRACE_NETWORK_CIDR, default ${DEFAULT-VALUE}).")
  String networkCidr;

  @Option(names = "--network-bridge", defaultValue = "${env:TERRACE_NETWORK_BRIDGE:-terrace0}",
      description = "Linux bridge of the default 'terrace' network "
          + "(env TERRACE_NETWORK_BRIDGE, default ${DEFAULT-VALUE}).")
  String networkBridge;

  /** The monitor named by these flags; a bad name fails before the agent starts. */
  dev.terrace.agent.runtime.ContainerMonitor.Kind monitor() {
    return dev.terrace.agent.runtime.ContainerMonitor.Kind.parse(containerMonitor);
  }

  /** The agent's CNI settings from these flags, for an agent working in {@code workDir}. */
  dev.terrace.agent.network.NetworkSettings network(Path workDir) {
    var s = dev.terrace.agent.network.NetworkSettings.defaults(workDir)
        .withDefaultNetwork(networkCidr, networkBridge)
        .withPluginDirs(java.util.Arrays.stream(cniPluginsDir.split(":"))
            .filter(d -> !d.isBlank()).map(Path::of).toList());
    return cniConfigDir == null ? s : s.withConfigDir(cniConfigDir);
  }
}
