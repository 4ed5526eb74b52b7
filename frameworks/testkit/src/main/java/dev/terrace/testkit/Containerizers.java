package dev.terrace.testkit;

import dev.terrace.agent.containerizer.ContainerException;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.containerizer.OciContainerizerConfig;
import java.nio.file.Path;
import java.util.function.Function;

/** Containerizer factories for {@link InProcessCluster.Builder#containerizer}. */
public final class Containerizers {
  private Containerizers() {}

  /** The agent's real OCI containerizer (needs root, an OCI runtime and conmon). */
  public static Function<Path, Containerizer> real() {
    return dir -> {
      try {
        return OciContainerizer.create(OciContainerizerConfig.defaults(dir));
      } catch (ContainerException e) {
        throw new IllegalStateException("cannot create the OCI containerizer: " + e.getMessage(), e);
      }
    };
  }

  /** Plain host processes, no isolation: for tests of master and agent logic without root. */
  public static Function<Path, Containerizer> hostProcesses() {
    return HostProcessContainerizer::new;
  }

}
