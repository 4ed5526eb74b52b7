package dev.terrace.bench.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.LaunchedContainer;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.containerizer.OciContainerizerConfig;
import dev.terrace.agent.image.fixture.BusyboxImage;
import dev.terrace.agent.image.fixture.ImageArchives;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.runtime.RuntimeSelector;
import dev.terrace.agent.snapshot.OverlaySnapshotter;
import dev.terrace.agent.task.TaskCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench/run containers [--rounds N] [--runtime crun|runc]}: the launch latency of a
 * busybox container task whose image is cached, through the agent's containerizer (the code a
 * RunTask message reaches: image resolution, overlay rootfs, OCI spec, conmon, runtime create and
 * start), against the OCI runtime's own {@code run} of the very bundle the agent wrote (same
 * config.json, same kind of overlay rootfs), both running {@code /bin/true} to completion.
 *
 * <p>Three agent figures: a tag from a registry (the agent asks the registry for the manifest at
 * each launch, as the tag may have moved; blobs and layers are cached), a tag imported from an
 * archive (resolved locally, the air-gapped path), and launch alone (until the runtime's start
 * returns, the task's process running). The last line is a JSON summary.
 */
public final class ContainerBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int rounds = 30;
    String runtime = "crun";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--runtime" -> runtime = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("terrace-bench-containers");
    int status = 0;
    try {
      run(dir, rounds, runtime);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      ContainerDirs.deleteUnlessMounted(dir);
    }
    System.exit(status); // the shared registry's shutdown hook stops it
  }

  private static void run(Path dir, int rounds, String runtimeName) throws Exception {
    String registryRef = SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG);
    Path work = dir.resolve("agent");
    OciContainerizer containerizer = OciContainerizer.create(OciContainerizerConfig.defaults(work)
        .withRuntime(RuntimeSelector.Preference.parse(runtimeName))
        .withMountMissingCgroups(true)
        .withRuntimeRoot(work.resolve("runtime-state")));
    var images = containerizer.images().orElseThrow();
    images.importArchive(ImageArchives.dockerSave(BusyboxImage.image(false),
        List.of("bench/busybox:imported"), dir.resolve("busybox.tar")));
    String importedRef = "bench/busybox:imported";

    // Warm up (pull, unpack, JIT) and keep the bundle the agent writes, for the runtime's own run.
    Path baseline = Files.createDirectories(dir.resolve("baseline"));
    for (int i = 0; i < 5; i++) {
      ContainerLaunch l = launch(dir, "warm-" + i, registryRef);
      containerizer.launch(l).exit().get(30, TimeUnit.SECONDS);
      if (i == 0) {
        Files.copy(containerizer.containerDir(l.containerId()).resolve("bundle/config.json"),
            baseline.resolve("agent-config.json"));
      }
      containerizer.destroy(l.containerId());
    }

    List<Double> launchOnly = new ArrayList<>();
    List<Double> registryToExit = new ArrayList<>();
    List<Double> importedToExit = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      for (String ref : List.of(registryRef, importedRef)) {
        ContainerLaunch l = launch(dir, "r" + r + (ref.equals(registryRef) ? "-reg" : "-imp"), ref);
        long t0 = System.nanoTime();
        LaunchedContainer c = containerizer.launch(l);
        long t1 = System.nanoTime();
        c.exit().get(30, TimeUnit.SECONDS);
        long t2 = System.nanoTime();
        if (ref.equals(registryRef)) {
          launchOnly.add((t1 - t0) / 1e6);
          registryToExit.add((t2 - t0) / 1e6);
        } else {
          importedToExit.add((t2 - t0) / 1e6);
        }
        containerizer.destroy(l.containerId());
      }
    }

    List<Double> runtimeRun = runtimeRuns(dir, baseline, containerizer, rounds);
    containerizer.close();

    ObjectNode summary = JSON.createObjectNode();
    summary.put("benchmark", "containers");
    summary.put("runtime", containerizer.runtimeName());
    summary.put("rounds", rounds);
    summary.put("agent_launch_p50_ms", p(launchOnly, 50));
    summary.put("agent_registry_tag_to_exit_p50_ms", p(registryToExit, 50));
    summary.put("agent_imported_tag_to_exit_p50_ms", p(importedToExit, 50));
    summary.put("runtime_run_to_exit_p50_ms", p(runtimeRun, 50));
    summary.put("agent_registry_tag_to_exit_p90_ms", p(registryToExit, 90));
    summary.put("agent_imported_tag_to_exit_p90_ms", p(importedToExit, 90));
    summary.put("runtime_run_to_exit_p90_ms", p(runtimeRun, 90));
    summary.put("ratio_registry_tag_p50", round(p(registryToExit, 50) / p(runtimeRun, 50)));
    summary.put("ratio_imported_tag_p50", round(p(importedToExit, 50) / p(runtimeRun, 50)));
    System.out.println(summary);
  }

  /**
   * {@code <runtime> run} of the agent's own config.json on an overlay of the same layer, from a
   * new process each time (as the agent, too, starts the runtime as a process).
   */
  private static List<Double> runtimeRuns(Path dir, Path baseline, OciContainerizer containerizer,
      int rounds) throws Exception {
    var images = containerizer.images().orElseThrow();
    var prepared = images.prepare("bench/busybox:imported");
    Path rootfs = new OverlaySnapshotter().mount(baseline.resolve("container"), prepared.layers());
    images.release(prepared);
    ObjectNode config = (ObjectNode) JSON.readTree(baseline.resolve("agent-config.json").toFile());
    ((ObjectNode) config.get("root")).put("path", rootfs.toString());
    String runtime = containerizer.runtime().binary().toString();
    Path state = Files.createDirectories(dir.resolve("baseline-state"));
    List<Double> times = new ArrayList<>();
    try {
      for (int r = 0; r < rounds + 5; r++) {
        String id = "bench-run-" + r;
        ((ObjectNode) config.get("linux")).put("cgroupsPath", "/terrace/" + id);
        Path bundle = Files.createDirectories(baseline.resolve("bundle-" + r));
        JSON.writeValue(bundle.resolve("config.json").toFile(), config);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(runtime, "--root", state.toString(), "run", "-b",
            bundle.toString(), id).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        int code = p.waitFor();
        long t1 = System.nanoTime();
        if (code != 0) {
          throw new IllegalStateException(runtime + " run exited " + code);
        }
        if (r >= 5) { // the first runs warm the page cache
          times.add((t1 - t0) / 1e6);
        }
      }
    } finally {
      new OverlaySnapshotter().unmount(baseline.resolve("container"));
    }
    return times;
  }

  private static ContainerLaunch launch(Path dir, String id, String image) throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandboxes").resolve(id));
    Map<String, String> env = new LinkedHashMap<>(TaskCommand.DEFAULT_ENV);
    env.put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
    return new ContainerLaunch("bench-" + id, sandbox, List.of("/bin/true"), env, 0.1, 64L << 20,
        "bench", image, false);
  }

  private static double p(List<Double> values, int percentile) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return round(sorted.get(Math.max(0, i)));
  }

  private static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.2f", v));
  }
}
