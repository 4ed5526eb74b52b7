package dev.terrace.agent.containerizer;

import dev.terrace.agent.image.ImageStoreSettings;
import dev.terrace.agent.image.RegistrySettings;
import dev.terrace.agent.network.NetworkSettings;
import dev.terrace.agent.runtime.ContainerMonitor;
import dev.terrace.agent.runtime.RuntimeSelector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link OciContainerizer}.
 *
 * @param workDir the agent's work directory; containers live in {@code <workDir>/containers/<id>}
 *     ({@code bundle}, {@code rootfs}, {@code scratch}) and exit files in {@code <workDir>/exits}
 * @param runtime which OCI runtime to use ("auto" tries crun, then runc)
 * @param mountMissingCgroups on a hybrid cgroup host, let the agent mount controllers left on
 *     cgroup2 (hugetlb) as v1 hierarchies so that crun works; this changes the host's mounts
 * @param runtimeRoot the runtimes' state directory ({@code --root}, one subdirectory per runtime),
 *     or null for their defaults (/run/crun, /run/runc)
 * @param scratchBytes size of each imageless container's tmpfs for copy-on-write writes
 * @param commandTimeout limit for every runtime CLI call and conmon's report
 * @param registries how images are pulled (insecure registries, credentials, parallelism)
 * @param network CNI networks: config and plugin directories, state, the default network
 * @param imageStore the image directory and garbage collection threshold
 * @param monitor the per-container monitor: our own terrace-monitor, or Debian's conmon
 */
public record OciContainerizerConfig(
    Path workDir,
    RuntimeSelector.Preference runtime,
    boolean mountMissingCgroups,
    Path runtimeRoot,
    long scratchBytes,
    Duration commandTimeout,
    RegistrySettings registries,
    NetworkSettings network,
    ImageStoreSettings imageStore,
    ContainerMonitor.Kind monitor) {

  public OciContainerizerConfig {
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(registries, "registries");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(imageStore, "imageStore");
    Objects.requireNonNull(monitor, "monitor");
  }

  /**
   * Auto runtime, no cgroup mounting, runtime default roots, 1 GiB scratch, 30 s timeouts,
   * terrace-monitor.
   */
  public static OciContainerizerConfig defaults(Path workDir) {
    return new OciContainerizerConfig(workDir, RuntimeSelector.Preference.AUTO, false, null,
        1L << 30, Duration.ofSeconds(30), RegistrySettings.defaults(),
        NetworkSettings.defaults(workDir),
        new ImageStoreSettings(workDir.resolve("containers"), null, 0),
        ContainerMonitor.Kind.TERRACE);
  }

  public OciContainerizerConfig withRuntime(RuntimeSelector.Preference preference) {
    return new OciContainerizerConfig(workDir, preference, mountMissingCgroups, runtimeRoot,
        scratchBytes, commandTimeout, registries, network, imageStore, monitor);
  }

  public OciContainerizerConfig withMountMissingCgroups(boolean mount) {
    return new OciContainerizerConfig(workDir, runtime, mount, runtimeRoot, scratchBytes,
        commandTimeout, registries, network, imageStore, monitor);
  }

  public OciContainerizerConfig withRuntimeRoot(Path root) {
    return new OciContainerizerConfig(workDir, runtime, mountMissingCgroups, root, scratchBytes,
        commandTimeout, registries, network, imageStore, monitor);
  }

  public OciContainerizerConfig withRegistries(RegistrySettings settings) {
    return new OciContainerizerConfig(workDir, runtime, mountMissingCgroups, runtimeRoot,
        scratchBytes, commandTimeout, settings, network, imageStore, monitor);
  }

  public OciContainerizerConfig withNetwork(NetworkSettings settings) {
    return new OciContainerizerConfig(workDir, runtime, mountMissingCgroups, runtimeRoot,
        scratchBytes, commandTimeout, registries, settings, imageStore, monitor);
  }

  /** Image directory and GC threshold; the containers directory is always this work dir's. */
  public OciContainerizerConfig withImageStore(java.nio.file.Path imageDir, long gcThreshold) {
    return new OciContainerizerConfig(workDir, runtime, mountMissingCgroups, runtimeRoot,
        scratchBytes, commandTimeout, registries, network,
        new ImageStoreSettings(workDir.resolve("containers"), imageDir, gcThreshold), monitor);
  }

  public OciContainerizerConfig withMonitor(ContainerMonitor.Kind kind) {
    return new OciContainerizerConfig(workDir, runtime, mountMissingCgroups, runtimeRoot,
        scratchBytes, commandTimeout, registries, network, imageStore, kind);
  }
}
