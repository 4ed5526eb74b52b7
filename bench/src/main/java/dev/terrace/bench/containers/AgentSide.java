package dev.terrace.bench.containers;

import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.LaunchObserver;
import dev.terrace.agent.containerizer.LaunchedContainer;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.containerizer.OciContainerizerConfig;
import dev.terrace.agent.runtime.ContainerMonitor;
import dev.terrace.agent.runtime.RuntimeSelector;
import dev.terrace.agent.task.TaskCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's containerizer with one kind of container monitor, and the launches measured through
 * it: the code a RunTask message reaches (image resolution, overlay rootfs, OCI spec, monitor,
 * runtime) up to the task's process running, or to its exit.
 */
final class AgentSide implements AutoCloseable {
  static final String IMPORTED = "bench/busybox:imported";

  final ContainerMonitor.Kind monitor;
  final OciContainerizer containerizer;
  private final Path sandboxes;
  private final AtomicInteger ids = new AtomicInteger();
  final Samples launchOnly = new Samples();
  final Samples registryToExit = new Samples();
  final Samples forcePullToExit = new Samples();
  /** Each step of the registry-tag launches, as the containerizer reports them. */
  final Map<LaunchObserver.Step, Samples> steps = new java.util.EnumMap<>(LaunchObserver.Step.class);
  private volatile boolean recordSteps;
  final Samples importedToExit = new Samples();

  AgentSide(Path dir, String runtime, ContainerMonitor.Kind monitor, Path busyboxArchive)
      throws Exception {
    this.monitor = monitor;
    Path work = dir.resolve("agent");
    this.containerizer = OciContainerizer.create(OciContainerizerConfig.defaults(work)
        .withRuntime(RuntimeSelector.Preference.parse(runtime))
        .withMountMissingCgroups(true)
        .withRuntimeRoot(work.resolve("runtime-state"))
        .withMonitor(monitor));
    this.sandboxes = Files.createDirectories(dir.resolve("sandboxes"));
    containerizer.images().orElseThrow().importArchive(busyboxArchive);
    for (LaunchObserver.Step step : LaunchObserver.Step.values()) {
      steps.put(step, new Samples());
    }
    containerizer.observe((step, nanos) -> {
      if (recordSteps) {
        steps.get(step).addNanos(nanos);
      }
    });
  }

  String name() {
    return monitor.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Launches {@code /bin/true} from {@code image} and waits for its exit; returns the launch. */
  ContainerLaunch runToExit(String image) throws Exception {
    ContainerLaunch l = launch(image);
    containerizer.launch(l).exit().get(30, TimeUnit.SECONDS);
    return l;
  }

  /** The registry tag as a task names it: the cached image, as Mesos' Image.cached defaults. */
  void measureRegistryTag(String registryRef) throws Exception {
    recordSteps = true;
    try {
      measure(launch(registryRef), launchOnly, registryToExit);
    } finally {
      recordSteps = false;
    }
  }

  /** A tag imported from an archive. */
  void measureImportedTag() throws Exception {
    measure(launch(IMPORTED), null, importedToExit);
  }

  /**
   * The registry tag with a forced pull (the manifest asked for again), in rounds of its own:
   * the registry's work after answering would otherwise land on the launch measured next.
   */
  void measureForcedPull(String registryRef) throws Exception {
    measure(launch(registryRef).withForcePull(true), null, forcePullToExit);
  }

  private void measure(ContainerLaunch l, Samples launched, Samples exited) throws Exception {
    long t0 = System.nanoTime();
    LaunchedContainer c = containerizer.launch(l);
    if (launched != null) {
      launched.since(t0);
    }
    c.exit().get(30, TimeUnit.SECONDS);
    exited.since(t0);
    containerizer.destroy(l.containerId());
  }

  /**
   * Launches {@code count} containers of the imported tag from {@code threads} threads and
   * returns launches per second (until the last launch returned, each task's process running).
   * The containers run {@code sleep}, as the tasks of a cluster do: what is measured is starting
   * them, not their exits (whose teardown would otherwise land in the window at random); they
   * are destroyed afterwards, outside the measured time.
   */
  double launchRate(int count, int threads) throws Exception {
    List<ContainerLaunch> launches = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      launches.add(launch(IMPORTED, List.of("/bin/sleep", "3600")));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<LaunchedContainer>> started = new ArrayList<>();
    long t0 = System.nanoTime();
    try {
      for (ContainerLaunch l : launches) {
        started.add(pool.submit(() -> containerizer.launch(l)));
      }
      for (Future<LaunchedContainer> f : started) {
        f.get(120, TimeUnit.SECONDS);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return Samples.round(count / seconds);
    } finally {
      for (Future<?> f : started) {
        f.get(120, TimeUnit.SECONDS); // none still launching when they are destroyed
      }
      for (ContainerLaunch l : launches) {
        pool.submit(() -> containerizer.destroy(l.containerId()));
      }
      pool.shutdown();
      pool.awaitTermination(300, TimeUnit.SECONDS);
    }
  }

  private ContainerLaunch launch(String image) throws Exception {
    return launch(image, List.of("/bin/true"));
  }

  private ContainerLaunch launch(String image, List<String> argv) throws Exception {
    String id = "bench-" + name() + "-" + ids.incrementAndGet();
    Path sandbox = Files.createDirectories(sandboxes.resolve(id));
    Map<String, String> env = new LinkedHashMap<>(TaskCommand.DEFAULT_ENV);
    env.put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
    return new ContainerLaunch(id, sandbox, argv, env, 0.1, 64L << 20, "bench",
        image, false);
  }

  @Override
  public void close() {
    containerizer.close();
  }
}
