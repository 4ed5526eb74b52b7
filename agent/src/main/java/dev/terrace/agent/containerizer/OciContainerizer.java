package dev.terrace.agent.containerizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrace.agent.cgroups.CgroupLayout;
import dev.terrace.agent.cgroups.CgroupManager;
import dev.terrace.agent.cgroups.MemoryEvidence;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.rootfs.HostOverlayRootfs;
import dev.terrace.agent.runtime.Binaries;
import dev.terrace.agent.runtime.Conmon;
import dev.terrace.agent.runtime.ExitWatcher;
import dev.terrace.agent.runtime.OciRuntime;
import dev.terrace.agent.runtime.RuntimeSelector;
import dev.terrace.agent.spec.OciSpecGenerator;
import dev.terrace.agent.spec.SpecOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks as OCI containers under conmon, with crun or runc. Tasks without an image get a
 * copy-on-write overlay of the host root ({@link HostOverlayRootfs}); images are a later step.
 */
public final class OciContainerizer implements Containerizer {
  private static final Logger LOG = LoggerFactory.getLogger(OciContainerizer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Runtime ids, cgroup leaves and directory names: keep them to a safe alphabet. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  /** How long destroy waits for conmon to record the exit after the kill. */
  private static final long EXIT_AFTER_KILL_MILLIS = 5_000;

  private final OciContainerizerConfig config;
  private final OciRuntime runtime;
  private final Conmon conmon;
  private final CgroupManager cgroups;
  private final HostOverlayRootfs rootfs;
  private final OciSpecGenerator specs;
  private final SpecOptions specOptions;
  private final ExitWatcher exits;
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  /** State of a launched container that exit handling and destroy share. */
  private record Running(
      ContainerLaunch launch, Path dir, AtomicBoolean signalled, AtomicBoolean created,
      CompletableFuture<ContainerExit> exit) {}

  OciContainerizer(OciContainerizerConfig config, OciRuntime runtime, Conmon conmon,
      CgroupManager cgroups, HostOverlayRootfs rootfs, SpecOptions specOptions)
      throws IOException {
    this.config = config;
    this.runtime = runtime;
    this.conmon = conmon;
    this.cgroups = cgroups;
    this.rootfs = rootfs;
    this.specOptions = specOptions;
    this.specs = new OciSpecGenerator(specOptions);
    this.exits = new ExitWatcher(config.workDir().resolve("exits"));
  }

  /**
   * Detects the cgroup layout, selects and self-tests the runtime, and returns a ready
   * containerizer. Blocks for the self-test (tens of milliseconds per runtime).
   */
  public static OciContainerizer create(OciContainerizerConfig config) throws ContainerException {
    try {
      Files.createDirectories(config.workDir().resolve("containers"));
      SpecOptions specOptions = new SpecOptions(
          SpecOptions.DEFAULT_CGROUP_PARENT, HostLimits.nofileHard(), true);
      HostOverlayRootfs rootfs = new HostOverlayRootfs(config.scratchBytes());
      LOG.info("cgroup layout at start: {}", CgroupLayout.detect().mode());
      RuntimeSelector selector = new RuntimeSelector(config.workDir(), config.runtimeRoot(),
          config.commandTimeout(), config.mountMissingCgroups(), specOptions, rootfs);
      OciRuntime runtime = selector.select(config.runtime());
      // Detected again: the selector may have mounted hierarchies that cleanup must sweep too.
      CgroupManager cgroups = CgroupManager.forLayout(CgroupLayout.detect());
      Path conmonBinary = Binaries.find("conmon")
          .orElseThrow(() -> new IOException("conmon is not installed"));
      return new OciContainerizer(config, runtime,
          new Conmon(conmonBinary, config.commandTimeout()), cgroups, rootfs, specOptions);
    } catch (IOException e) {
      throw new ContainerException("cannot set up the OCI containerizer: " + e.getMessage(), e);
    }
  }

  @Override
  public String runtimeName() {
    return runtime.name();
  }

  /** Where {@code containerId}'s bundle, rootfs and scratch live. */
  public Path containerDir(String containerId) {
    return config.workDir().resolve("containers").resolve(containerId);
  }

  /** The cgroup manager in use, for statistics and tests. */
  public CgroupManager cgroups() {
    return cgroups;
  }

  /** The runtime in use, for tests and diagnostics. */
  public OciRuntime runtime() {
    return runtime;
  }

  /** The cgroup path of {@code containerId}. */
  public String cgroupPath(String containerId) {
    return specOptions.cgroupsPath(containerId);
  }

  @Override
  public LaunchedContainer launch(ContainerLaunch launch) throws ContainerException {
    String id = launch.containerId();
    if (!ID.matcher(id).matches()) {
      throw new ContainerException("invalid container id: " + id);
    }
    if (launch.image() != null) {
      throw new ContainerException("images are not supported yet: " + launch.image());
    }
    Path dir = containerDir(id);
    if (running.containsKey(id) || Files.exists(dir)) {
      throw new ContainerException("container " + id + " already exists");
    }
    Running r = new Running(launch, dir, new AtomicBoolean(), new AtomicBoolean(), new CompletableFuture<>());
    running.put(id, r);
    try {
      Path bundle = Files.createDirectories(dir.resolve("bundle"));
      Path root = rootfs.mount(dir);
      JSON.writeValue(bundle.resolve("config.json").toFile(), specs.generate(launch, root));
      Path stdout = touch(launch.sandbox().resolve("stdout"));
      Path stderr = touch(launch.sandbox().resolve("stderr"));
      exits.watch(id).whenComplete((code, error) -> onExit(r, code));
      int pid = conmon.create(runtime, id,
          new Conmon.Paths(bundle, dir, exits.exitDir(), stdout, stderr));
      r.created().set(true);
      runtime.start(id);
      LOG.info("Started container {} (pid {}) with {}", id, pid, runtime.name());
      return new LaunchedContainer(id, pid, r.exit());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Launch of container {} failed, cleaning up", id, e);
      destroy(id);
      throw new ContainerException("cannot launch container " + id + ": " + e.getMessage(), e);
    }
  }

  private static Path touch(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    return file;
  }

  /**
   * Runs on the exit watcher's thread: the cgroup still exists (runtimes remove it only on
   * delete), so the OOM evidence is read here, before destroy can remove it.
   */
  private void onExit(Running r, Integer code) {
    if (code == null) {
      return;
    }
    MemoryEvidence memory = null;
    try {
      memory = cgroups.memoryEvidence(cgroupPath(r.launch().containerId()));
    } catch (IOException | RuntimeException e) {
      LOG.debug("No memory evidence for {}", r.launch().containerId(), e);
    }
    ContainerExit exit =
        ExitMessages.of(code, r.signalled().get(), memory, r.launch().memoryBytes());
    LOG.info("Container {} exited: {}", r.launch().containerId(), exit.message());
    r.exit().complete(exit);
  }

  @Override
  public void signal(String containerId, int signal) throws ContainerException {
    Running r = running.get(containerId);
    if (r == null || r.exit().isDone()) {
      return;
    }
    r.signalled().set(true);
    try {
      // --all: the task's shell may have children, and a pid-namespace init ignores signals it
      // has no handler for (except SIGKILL), so signalling only pid 1 would often do nothing.
      var result = runtime.kill(containerId, signal, true);
      if (!result.ok() && isAlive(containerId)) {
        throw new ContainerException("cannot signal " + containerId + ": " + result.describe());
      }
    } catch (IOException e) {
      throw new ContainerException("cannot signal " + containerId + ": " + e.getMessage(), e);
    }
  }

  private boolean isAlive(String containerId) throws IOException {
    Optional<String> state = runtime.state(containerId);
    return state.isPresent() && !state.get().equals("stopped");
  }

  @Override
  public void destroy(String containerId) {
    Running r = running.remove(containerId);
    Path dir = containerDir(containerId);
    if (r != null) {
      r.signalled().set(true);
    }
    quietly("kill", () -> runtime.kill(containerId, 9, true));
    quietly("delete", () -> {
      var result = runtime.delete(containerId, true);
      if (!result.ok() && runtime.state(containerId).isPresent()) {
        throw new IOException(result.describe());
      }
    });
    if (r != null) {
      awaitExit(r);
    }
    exits.forget(containerId);
    quietly("stop conmon", () -> killConmon(dir));
    quietly("remove cgroups", () -> cgroups.remove(cgroupPath(containerId)));
    quietly("unmount rootfs", () -> rootfs.unmount(dir));
    quietly("remove container directory", () -> ContainerDirs.deleteUnlessMounted(dir));
  }

  /** Lets conmon record the exit of the killed container so that the future completes. */
  private void awaitExit(Running r) {
    if (!r.created().get()) {
      r.exit().complete(new ContainerExit(137, 9, false, "Container destroyed before it started"));
      return;
    }
    try {
      r.exit().get(EXIT_AFTER_KILL_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      r.exit().complete(new ContainerExit(137, 9, false, "Container destroyed"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      r.exit().complete(new ContainerExit(137, 9, false, "Container destroyed"));
    }
  }

  /** conmon exits after the container; kill it if it is stuck (e.g. never got a container). */
  private static void killConmon(Path dir) throws IOException {
    Path pidFile = dir.resolve("conmon.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    String s = Files.readString(pidFile).strip();
    if (s.isEmpty()) {
      return;
    }
    ProcessHandle.of(Long.parseLong(s))
        .filter(p -> p.info().command().map(c -> c.endsWith("conmon")).orElse(false))
        .ifPresent(ProcessHandle::destroyForcibly);
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("destroy: {} failed: {}", what, e.getMessage());
    }
  }

  @Override
  public void close() {
    exits.close();
  }
}
