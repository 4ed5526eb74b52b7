package dev.terrace.cli;

import dev.terrace.agent.AgentConfig;
import dev.terrace.agent.AgentServer;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.containerizer.OciContainerizerConfig;
import dev.terrace.agent.image.RegistryCredentials;
import dev.terrace.agent.image.RegistrySettings;
import dev.terrace.agent.network.NetworkSettings;
import dev.terrace.agent.runtime.RuntimeSelector;
import java.time.Duration;

/** Starts components the way every command does, so `local` and `agent` cannot drift apart. */
final class Components {
  private Components() {}

  static AgentServer startAgent(AgentConfig config, ContainerOptions containers,
      StorageOptions storage) throws Exception {
    NetworkSettings network = containers.network(config.workDir());
    var sandboxes = storage.sandboxSettings(); // checked before anything starts
    RegistrySettings registries = RegistrySettings.defaults();
    if (config.insecureRegistries() != null && !config.insecureRegistries().isBlank()) {
      registries = registries.withInsecureRegistries(java.util.Arrays.stream(
          config.insecureRegistries().split(",")).map(String::trim).filter(h -> !h.isEmpty())
          .collect(java.util.stream.Collectors.toSet()));
    }
    if (config.dockerConfig() != null) {
      registries = registries.withCredentials(RegistryCredentials.fromDockerConfig(config.dockerConfig()));
    }
    OciContainerizer containerizer = OciContainerizer.create(
        OciContainerizerConfig.defaults(config.workDir())
            .withRuntime(RuntimeSelector.Preference.parse(config.runtime()))
            .withMountMissingCgroups(config.mountMissingCgroups())
            .withRegistries(registries)
            .withNetwork(network)
            .withImageStore(storage.imageDir, storage.imageGcThreshold)
            .withMonitor(containers.monitor()));
    return AgentServer.start(config, containerizer, Duration.ofSeconds(10), sandboxes);
  }

  /** Blocks until the JVM is asked to stop, then closes {@code resources} in order. */
  static void runUntilStopped(AutoCloseable... resources) throws InterruptedException {
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopped.countDown();
      System.err.println("terrace: stopping...");
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception e) {
          System.err.println("terrace: error while stopping: " + e);
        }
      }
      closed.countDown();
      try {
        closed.await();
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    }, "terrace-shutdown"));
    stopped.await();
    closed.await();
  }
}
