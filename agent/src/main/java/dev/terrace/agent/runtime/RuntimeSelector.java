package dev.terrace.agent.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrace.agent.cgroups.CgroupLayout;
import dev.terrace.agent.cgroups.CgroupManager;
import dev.terrace.agent.cgroups.V1HierarchyMounter;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.rootfs.HostOverlayRootfs;
import dev.terrace.agent.spec.OciSpecGenerator;
import dev.terrace.agent.spec.SpecOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the OCI runtime by running a trivial container ({@code /bin/true} in a host-overlay
 * root) with each candidate, because "installed" is not "works here": on a hybrid cgroup host crun
 * refuses every container until the controllers left on cgroup2 (hugetlb) are mounted as v1.
 */
public final class RuntimeSelector {
  private static final Logger LOG = LoggerFactory.getLogger(RuntimeSelector.class);

  /** Which runtime the operator asked for. */
  public enum Preference {
    /** crun when it passes the self-test, else runc. */
    AUTO,
    CRUN,
    RUNC;

    public static Preference parse(String s) {
      return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }

  private final Path workDir;
  private final Path runtimeRoot;
  private final Duration timeout;
  private final boolean mountMissingCgroups;
  private final SpecOptions specOptions;
  private final HostOverlayRootfs rootfs;
  private final CommandRunner runner = new CommandRunner();

  /**
   * @param workDir scratch space for the self-test bundles
   * @param runtimeRoot the runtimes' {@code --root}, or null for their defaults
   * @param mountMissingCgroups whether crun may be helped by mounting controllers as v1
   */
  public RuntimeSelector(Path workDir, Path runtimeRoot, Duration timeout,
      boolean mountMissingCgroups, SpecOptions specOptions, HostOverlayRootfs rootfs) {
    this.workDir = workDir;
    this.runtimeRoot = runtimeRoot;
    this.timeout = timeout;
    this.mountMissingCgroups = mountMissingCgroups;
    this.specOptions = specOptions;
    this.rootfs = rootfs;
  }

  /** The first candidate that runs a container here; throws with every reason otherwise. */
  public OciRuntime select(Preference preference) throws IOException {
    List<String> candidates = switch (preference) {
      case AUTO -> List.of("crun", "runc");
      case CRUN -> List.of("crun");
      case RUNC -> List.of("runc");
    };
    List<String> failures = new ArrayList<>();
    for (String name : candidates) {
      Optional<Path> binary = Binaries.find(name);
      if (binary.isEmpty()) {
        failures.add(name + ": not installed");
        continue;
      }
      OciRuntime runtime = runtime(name, binary.get());
      Optional<String> failure = selfTest(runtime);
      if (failure.isPresent() && name.equals("crun") && mountMissingCgroups) {
        LOG.info("crun failed its self-test ({}); mounting cgroup controllers left on cgroup2 as"
            + " v1 hierarchies and retrying", failure.get());
        if (mountControllersLeftOnV2()) {
          failure = selfTest(runtime);
        }
      }
      if (failure.isEmpty()) {
        LOG.info("Using OCI runtime {} (preference {}): it ran a test container{}", runtime,
            preference, failures.isEmpty() ? "" : " after " + failures);
        return runtime;
      }
      LOG.warn("OCI runtime {} failed its self-test: {}", name, failure.get());
      failures.add(name + ": " + failure.get());
    }
    throw new IOException("no usable OCI runtime: " + String.join("; ", failures));
  }

  /** An adapter for {@code name} without testing it (for callers that already know it works). */
  public OciRuntime runtime(String name, Path binary) {
    Path root = runtimeRoot == null ? null : runtimeRoot.resolve(name);
    return new OciRuntime(name, binary, root, timeout, runner);
  }

  private boolean mountControllersLeftOnV2() throws IOException {
    CgroupLayout layout = CgroupLayout.detect();
    List<String> controllers = layout.controllersOnUnified();
    if (controllers.isEmpty()) {
      return false;
    }
    Path cgroupRoot = layout.unified().getParent();
    V1HierarchyMounter mounter = new V1HierarchyMounter(cgroupRoot);
    boolean mounted = false;
    for (String controller : controllers) {
      try {
        mounter.mount(controller);
        mounted = true;
      } catch (IOException e) {
        LOG.warn("Cannot mount the {} controller as v1: {}", controller, e.getMessage());
      }
    }
    return mounted;
  }

  /** Runs /bin/true; empty when it worked, else the runtime's complaint. */
  Optional<String> selfTest(OciRuntime runtime) throws IOException {
    String id = "terrace-selftest-" + runtime.name() + "-"
        + UUID.randomUUID().toString().substring(0, 8);
    Path dir = workDir.resolve("selftest").resolve(id);
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Path bundle = Files.createDirectories(dir.resolve("bundle"));
    try {
      Path root = rootfs.mount(dir);
      ContainerLaunch launch = new ContainerLaunch(id, sandbox, List.of("/bin/true"),
          Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), 0.1, 16L << 20, "selftest", null);
      new ObjectMapper().writeValue(bundle.resolve("config.json").toFile(),
          new OciSpecGenerator(specOptions).generate(launch, root));
      CommandResult result = runtime.run(id, bundle);
      return result.ok() ? Optional.empty() : Optional.of(result.describe());
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    } finally {
      runtime.delete(id, true);
      CgroupManager.forLayout(CgroupLayout.detect()).remove(specOptions.cgroupsPath(id));
      rootfs.unmount(dir);
      ContainerDirs.deleteUnlessMounted(dir);
    }
  }
}
