package dev.terrace.agent.containerizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.cgroups.CgroupLayout;
import dev.terrace.agent.cgroups.CgroupManager;
import dev.terrace.agent.cgroups.MemoryEvidence;
import dev.terrace.agent.cgroups.ResourceStatistics;
import dev.terrace.agent.image.ImageProcess;
import dev.terrace.agent.image.ImageService;
import dev.terrace.agent.image.ImageUser;
import dev.terrace.agent.image.PreparedImage;
import dev.terrace.agent.network.CniException;
import dev.terrace.agent.network.CniNetworks;
import dev.terrace.agent.network.EtcFiles;
import dev.terrace.agent.network.NetworkAttachment;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.rootfs.HostOverlayRootfs;
import dev.terrace.agent.runtime.Binaries;
import dev.terrace.agent.runtime.Conmon;
import dev.terrace.agent.runtime.ContainerMonitor;
import dev.terrace.agent.runtime.ExitWatcher;
import dev.terrace.agent.runtime.MonitorBinary;
import dev.terrace.agent.runtime.OciRuntime;
import dev.terrace.agent.runtime.RuntimeSelector;
import dev.terrace.agent.runtime.TerraceMonitor;
import dev.terrace.agent.snapshot.OverlaySnapshotter;
import dev.terrace.agent.spec.OciSpecGenerator;
import dev.terrace.agent.spec.SpecNetwork;
import dev.terrace.agent.spec.SpecOptions;
import dev.terrace.agent.spec.UserNamespace;
import dev.terrace.common.model.NetworkInfo;
import dev.terrace.agent.task.TaskCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks as OCI containers, with crun or runc, each under a {@link ContainerMonitor}
 * (terrace-monitor, or conmon). Tasks without an image get a
 * copy-on-write overlay of the host root ({@link HostOverlayRootfs}); tasks with one get an
 * overlay of the image's unpacked layers ({@link OverlaySnapshotter}), pulled through
 * {@link ImageService} before anything of the container exists, with the image config merged into
 * the process ({@link ImageProcess}). A task on a CNI network gets a network namespace of its own,
 * set up by {@link CniNetworks} before the container is created and released when it is destroyed,
 * with generated {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf}.
 */
public final class OciContainerizer implements Containerizer {
  private static final Logger LOG = LoggerFactory.getLogger(OciContainerizer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Runtime ids, cgroup leaves and directory names: keep them to a safe alphabet. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  /** How long destroy waits for the monitor to record the exit after the kill. */
  private static final long EXIT_AFTER_KILL_MILLIS = 5_000;

  private final OciContainerizerConfig config;
  private final OciRuntime runtime;
  private final ContainerMonitor monitor;
  private final CgroupManager cgroups;
  private final HostOverlayRootfs rootfs;
  private final ImageService images;
  private final CniNetworks networks;
  private final OverlaySnapshotter snapshotter = new OverlaySnapshotter();
  private volatile LaunchObserver observer = LaunchObserver.NONE;
  private final OciSpecGenerator specs;
  private final SpecOptions specOptions;
  private final ExitWatcher exits;
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  /** State of a launched container that exit handling and destroy share. */
  private record Running(
      ContainerLaunch launch, Path dir, AtomicBoolean signalled, AtomicBoolean created,
      CompletableFuture<ContainerExit> exit) {}

  OciContainerizer(OciContainerizerConfig config, OciRuntime runtime, ContainerMonitor monitor,
      CgroupManager cgroups, HostOverlayRootfs rootfs, SpecOptions specOptions,
      ImageService images, CniNetworks networks) throws IOException {
    this.config = config;
    this.runtime = runtime;
    this.monitor = monitor;
    this.cgroups = cgroups;
    this.rootfs = rootfs;
    this.images = images;
    this.networks = networks;
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
      ContainerMonitor monitor = monitor(config);
      ImageService images = new ImageService(config.workDir().resolve("images"),
          config.registries(), config.imageStore());
      images.importImageDir();
      CniNetworks networks = new CniNetworks(config.network(), config.commandTimeout());
      networks.ensureDefaultNetwork();
      LOG.info("Container monitor: {}", monitor);
      return new OciContainerizer(config, runtime, monitor, cgroups, rootfs, specOptions, images,
          networks);
    } catch (IOException e) {
      throw new ContainerException("cannot set up the OCI containerizer: " + e.getMessage(), e);
    }
  }

  private static ContainerMonitor monitor(OciContainerizerConfig config) throws IOException {
    return switch (config.monitor()) {
      case CONMON -> new Conmon(Binaries.find("conmon")
          .orElseThrow(() -> new IOException("conmon is not installed")), config.commandTimeout());
      case TERRACE -> new TerraceMonitor(MonitorBinary.install(config.workDir())
          .or(() -> Binaries.find(TerraceMonitor.NAME))
          .orElseThrow(() -> new IOException(TerraceMonitor.NAME + " is neither in the agent's jar"
              + " nor on PATH (the build compiles it with gcc)")), config.commandTimeout());
    };
  }

  @Override
  public String runtimeName() {
    return runtime.name();
  }

  /** Where {@code containerId}'s bundle, rootfs and scratch live. */
  public Path containerDir(String containerId) {
    return config.workDir().resolve("containers").resolve(containerId);
  }

  @Override
  public List<Path> writableLayers(String containerId) {
    Path dir = containerDir(containerId);
    // The image overlay's upper dir is on the agent's disk; the imageless one's on a tmpfs
    // capped by --scratch, but counted too: it is the task's writing all the same.
    return List.of(dir.resolve("snapshot").resolve("upper"),
        dir.resolve("scratch").resolve("upper"));
  }

  @Override
  public Optional<ImageService> images() {
    return Optional.of(images);
  }

  /** The CNI networks of this agent, for tests and diagnostics. */
  public CniNetworks networks() {
    return networks;
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
    // Pulled before the container exists: a failed pull leaves nothing to clean up, and a long
    // pull holds no mount or cgroup.
    long start = System.nanoTime();
    PreparedImage image = launch.image() == null ? null
        : prepareImage(launch.image(), launch.forcePull());
    if (image != null) {
      observer.step(LaunchObserver.Step.IMAGE, System.nanoTime() - start);
    }
    try {
      return launchPrepared(launch, image);
    } finally {
      if (image != null) {
        images.release(image); // the container directory names its layers by now, or is gone
      }
    }
  }

  private LaunchedContainer launchPrepared(ContainerLaunch launch, PreparedImage image)
      throws ContainerException {
    String id = launch.containerId();
    Path dir = containerDir(id);
    if (running.containsKey(id) || Files.exists(dir)) {
      throw new ContainerException("container " + id + " already exists");
    }
    Running r = new Running(launch, dir, new AtomicBoolean(), new AtomicBoolean(), new CompletableFuture<>());
    running.put(id, r);
    try {
      launch = HostVolumeDirectories.resolve(config.workDir().resolve("volumes"), launch);
      Path bundle = Files.createDirectories(dir.resolve("bundle"));
      List<NetworkInfo> networkInfos = List.of();
      SpecNetwork network = null;
      long step = System.nanoTime();
      if (launch.network() != null) {
        NetworkAttachment a = networks.attach(id, launch.network());
        String hostname = launch.hostname() != null ? launch.hostname() : id;
        network = new SpecNetwork(a.netnsPath(),
            EtcFiles.write(dir.resolve("etc"), hostname, a.ip(), Path.of("/etc/resolv.conf")));
        networkInfos = List.of(a.toNetworkInfo());
        step = observe(LaunchObserver.Step.NETWORK, step);
      }
      Path root = image == null ? rootfs.mount(dir) : snapshotter.mount(dir, image.layers());
      step = observe(LaunchObserver.Step.ROOTFS, step);
      ObjectNode spec = image == null ? specs.generate(launch, root, network)
          : imageSpec(launch, image, root, network);
      runAs(spec, launch, image, root);
      if (launch.userNamespace()) {
        MountPoints.create(spec, root);
      }
      JSON.writeValue(bundle.resolve("config.json").toFile(), spec);
      Path stdout = touch(launch.sandbox().resolve("stdout"));
      Path stderr = touch(launch.sandbox().resolve("stderr"));
      exits.watch(id).whenComplete((code, error) -> onExit(r, code));
      step = observe(LaunchObserver.Step.BUNDLE, step);
      int pid = monitor.start(runtime, id,
          new ContainerMonitor.Paths(bundle, dir, exits.exitDir(), stdout, stderr));
      r.created().set(true);
      observe(LaunchObserver.Step.RUNTIME, step);
      LOG.info("Started container {} (pid {}) with {}", id, pid, runtime.name());
      return new LaunchedContainer(id, pid, r.exit(), networkInfos);
    } catch (IOException | CniException | RuntimeException e) {
      LOG.warn("Launch of container {} failed, cleaning up", id, e);
      destroy(id);
      throw new ContainerException("cannot launch container " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Re-attaches to a container of an earlier agent run. The evidence, checked in this order so
   * that a container exiting meanwhile is never taken for a gone one: its monitor's liveness, then
   * its exit file, then the runtime's state. The monitor records the exit after the container is
   * gone and only then exits, so a live monitor seen first means the exit file will still come.
   */
  @Override
  public Optional<LaunchedContainer> recover(ContainerLaunch launch) throws ContainerException {
    String id = launch.containerId();
    if (!ID.matcher(id).matches()) {
      throw new ContainerException("invalid container id: " + id);
    }
    Path dir = containerDir(id);
    try {
      boolean monitorAlive = monitorProcess(dir).isPresent();
      boolean exited = Files.exists(exits.exitDir().resolve(id));
      Optional<String> state = exited ? Optional.empty() : runtime.state(id);
      if (!exited) {
        String gone = state.isEmpty() ? "no exit status recorded and no runtime state"
            : !monitorAlive ? "its monitor is gone, so its exit could never be recorded"
            : state.get().equals("created") ? "the agent stopped before it started the container"
            : null;
        if (gone != null) {
          LOG.warn("Container {} cannot be recovered: {}", id, gone);
          return Optional.empty();
        }
      }
      Running r = new Running(launch, dir, new AtomicBoolean(), new AtomicBoolean(true),
          new CompletableFuture<>());
      if (running.putIfAbsent(id, r) != null) {
        throw new ContainerException("container " + id + " is already supervised");
      }
      // Completes at once (on this thread, cgroup evidence included) if the exit file is there.
      exits.watch(id).whenComplete((code, error) -> onExit(r, code));
      int pid = readPid(dir.resolve("bundle").resolve("pidfile"));
      LOG.info("Recovered container {} (pid {}, {})", id, pid,
          r.exit().isDone() ? "exited while the agent was down" : "running");
      return Optional.of(new LaunchedContainer(id, pid, r.exit(),
          networks.attachment(id).filter(a -> a.ip() != null)
              .map(a -> List.of(a.toNetworkInfo())).orElse(List.of())));
    } catch (IOException e) {
      throw new ContainerException("cannot recover container " + id + ": " + e.getMessage(), e);
    }
  }

  private static int readPid(Path pidFile) {
    try {
      return Integer.parseInt(Files.readString(pidFile).strip());
    } catch (IOException | NumberFormatException e) {
      return 0; // unknown: only reported in the container status
    }
  }

  @Override
  public List<String> destroyOrphans(Set<String> known) {
    List<String> destroyed = new ArrayList<>();
    Path containers = config.workDir().resolve("containers");
    try (var dirs = Files.list(containers)) {
      for (Path d : dirs.toList()) {
        String id = d.getFileName().toString();
        if (!known.contains(id) && ID.matcher(id).matches() && !running.containsKey(id)) {
          LOG.warn("Destroying orphan container {} (no task checkpoint names it)", id);
          destroy(id);
          destroyed.add(id);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list {} for orphan containers: {}", containers, e.getMessage());
    }
    // Networks of containers that are gone (a crash between the release of the network and the
    // removal of its checkpoint, or of the container directory before the network's release).
    Set<String> keep = new HashSet<>(known);
    keep.addAll(running.keySet());
    List<String> released = networks.releaseOrphans(keep);
    if (!released.isEmpty()) {
      LOG.warn("Released the networks of orphan containers {}", released);
    }
    // Exit files of containers that are gone altogether (destroy was cut short by a crash).
    try (var files = Files.list(exits.exitDir())) {
      for (Path f : files.toList()) {
        String id = f.getFileName().toString();
        // Only ids: a monitor's half-written ".ID.tmp" must stay until it renames it.
        if (ID.matcher(id).matches() && !known.contains(id) && !running.containsKey(id)
            && !Files.exists(containerDir(id))) {
          exits.forget(id);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list exit files: {}", e.getMessage());
    }
    return destroyed;
  }

  /** Reports {@code step} as ending now, and returns now: the start of the next step. */
  private long observe(LaunchObserver.Step step, long since) {
    long now = System.nanoTime();
    observer.step(step, now - since);
    return now;
  }

  @Override
  public void observe(LaunchObserver launchObserver) {
    this.observer = launchObserver;
  }

  private PreparedImage prepareImage(String reference, boolean forcePull)
      throws ContainerException {
    try {
      return images.prepare(reference, forcePull);
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn("Pull of image {} failed: {}", reference, e.getMessage());
      throw new ContainerException("cannot pull image '" + reference + "': " + e.getMessage(), e);
    }
  }

  /** The spec of an image task: the image's command, env, working dir and user merged in. */
  private ObjectNode imageSpec(ContainerLaunch launch, PreparedImage image, Path root,
      SpecNetwork network) throws IOException {
    ImageProcess process = ImageProcess.merge(launch.argv(), launch.useImageCommand(),
        launch.env(), TaskCommand.DEFAULT_ENV, image.config());
    ObjectNode spec = specs.generate(launch.withProcess(process.argv(), process.env()), root,
        network);
    ObjectNode p = (ObjectNode) spec.get("process");
    if (process.cwd() != null) {
      p.put("cwd", process.cwd());
    }
    return spec;
  }

  /**
   * Sets the process user: the task's own ({@code CommandInfo.user}, which the master's
   * {@code run_tasks} ACL has allowed), else the image's {@code User}, else root; names are
   * resolved in the container's root filesystem, never the host's (unless the task has no image
   * and so runs in a view of the host's). The sandbox is handed to that user so the task can write
   * its working directory, as Mesos does when it switches user.
   */
  private static void runAs(ObjectNode spec, ContainerLaunch launch, PreparedImage image,
      Path root) throws IOException {
    String name = launch.user() != null ? launch.user()
        : image != null ? image.config().user() : null;
    ImageUser.Ids user = ImageUser.resolve(name, root);
    ObjectNode u = ((ObjectNode) spec.get("process")).putObject("user");
    u.put("uid", user.uid());
    u.put("gid", user.gid());
    if (!user.additionalGids().isEmpty()) {
      user.additionalGids().forEach(u.putArray("additionalGids")::add);
    }
    if (launch.userNamespace()) {
      SandboxOwnership.give(launch.sandbox(), UserNamespace.hostId(user.uid()),
          UserNamespace.hostId(user.gid()));
    } else if (!user.isRoot()) {
      SandboxOwnership.give(launch.sandbox(), user.uid(), user.gid());
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

  @Override
  public int exec(String containerId, List<String> argv, Map<String, String> env, Duration timeout)
      throws ContainerException {
    try {
      return runtime.exec(containerId, argv, env, timeout).exitCode();
    } catch (IOException e) {
      throw new ContainerException("exec in " + containerId + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * {@code <runtime> exec} in the foreground, with piped stdio or on a terminal held by the agent
   * (see {@link dev.terrace.agent.runtime.TerminalExec}).
   */
  @Override
  public ExecSession startExec(String containerId, List<String> argv, Map<String, String> env,
      TerminalSize terminal) throws ContainerException {
    if (argv.isEmpty()) {
      throw new ContainerException("exec needs a command");
    }
    java.nio.file.Path pidFile;
    try {
      pidFile = java.nio.file.Files.createTempFile("terrace-exec", ".pid");
    } catch (IOException e) {
      throw new ContainerException("exec in " + containerId + " failed: " + e.getMessage(), e);
    }
    try {
      if (terminal != null) {
        var running = runtime.startExecOnTerminal(containerId, argv, env, pidFile,
            terminal.rows(), terminal.cols());
        running.exit().whenComplete((code, e) -> deleteQuietly(pidFile));
        return ExecSession.onTerminal(running.pty(), running.output(), running.exit(),
            running.kill(), running.close());
      }
      Process p = runtime.startExec(containerId, argv, env, pidFile);
      p.onExit().thenRun(() -> deleteQuietly(pidFile));
      return ExecSession.of(p, () -> OciRuntime.killExec(pidFile));
    } catch (IOException e) {
      deleteQuietly(pidFile);
      throw new ContainerException("exec in " + containerId + " failed: " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(java.nio.file.Path file) {
    try {
      java.nio.file.Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temp file left behind
    }
  }

  @Override
  public Optional<ResourceStatistics> statistics(String containerId) throws ContainerException {
    try {
      return Optional.of(cgroups.statistics(cgroupPath(containerId)));
    } catch (IOException | RuntimeException e) {
      throw new ContainerException("no statistics for " + containerId + ": " + e.getMessage(), e);
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
    // A container whose init has exited needs no kill: the end of its pid namespace's init took
    // every other process in it along. Skipping it saves a runtime process per task.
    if (r == null || !r.exit().isDone()) {
      quietly("kill", () -> runtime.kill(containerId, 9, true));
    }
    if (r != null) {
      awaitExit(r);
    }
    // Its processes are gone now; before the runtime's delete removes the cgroup, after which
    // nothing could reclaim what it still holds.
    cgroups.reclaimMemory(cgroupPath(containerId));
    quietly("delete", () -> {
      var result = runtime.delete(containerId, true);
      if (!result.ok() && runtime.state(containerId).isPresent()) {
        throw new IOException(result.describe());
      }
    });
    exits.forget(containerId);
    quietly("stop the monitor", () -> monitorProcess(dir).ifPresent(ProcessHandle::destroyForcibly));
    // After the kill: no process is left in the namespace when its veth and addresses go.
    quietly("release network", () -> networks.release(containerId));
    quietly("remove cgroups", () -> cgroups.remove(cgroupPath(containerId)));
    // Both: the record of which kind of rootfs it was may be gone (a launch that failed half way).
    quietly("unmount image rootfs", () -> snapshotter.unmount(dir));
    quietly("unmount rootfs", () -> rootfs.unmount(dir));
    quietly("remove container directory", () -> ContainerDirs.deleteUnlessMounted(dir));
  }

  /** Lets the monitor record the exit of the killed container so that the future completes. */
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

  /**
   * The container's monitor if it still runs (the pid file alone could name a reused pid). A
   * monitor exits after the container; destroy kills one that is stuck (e.g. never got a
   * container). {@code conmon.pid} is where agents before terrace-monitor had conmon write it.
   */
  private static Optional<ProcessHandle> monitorProcess(Path dir) throws IOException {
    for (String name : List.of("monitor.pid", "conmon.pid")) {
      Path pidFile = dir.resolve(name);
      if (!Files.exists(pidFile)) {
        continue;
      }
      String s = Files.readString(pidFile).strip();
      try {
        return ProcessHandle.of(Long.parseLong(s))
            .filter(p -> p.info().command().map(ContainerMonitor::isMonitor).orElse(false));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
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
    images.close();
  }
}
