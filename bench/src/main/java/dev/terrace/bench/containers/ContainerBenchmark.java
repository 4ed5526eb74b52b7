package dev.terrace.bench.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.image.fixture.BusyboxImage;
import dev.terrace.agent.image.fixture.ImageArchives;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.runtime.ContainerMonitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bench/run containers [--rounds N] [--runtime crun|runc] [--rate-launches N]
 * [--rate-threads T] [--rate-rounds R] [--seed S] [--no-peers]}: side by side in one run, on this machine
 * and the same busybox image,
 *
 * <ul>
 *   <li>the agent's launch of a container task whose image is cached ({@link AgentSide}), under
 *       terrace-monitor and under conmon, to the exit of {@code /bin/true}, interleaved round by
 *       round with the OCI runtime's own {@code run} of the very bundle the agent wrote
 *       ({@link RuntimeRuns}), which is also measured alone, back to back, afterwards; and
 *       against {@code podman run --rm} ({@link Peers}); docker only when a daemon answers;
 *   <li>containers launched per second on one agent (after a warm-up round; the median of R);
 *   <li>cold pull and unpack by the agent ({@link ColdPulls}) against {@code podman pull} and
 *       {@code skopeo copy} (download only), for busybox and a bigger multi-layer image.
 * </ul>
 * The last line is a JSON summary.
 */
public final class ContainerBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> o.rounds = Integer.parseInt(args[++i]);
        case "--runtime" -> o.runtime = args[++i];
        case "--rate-launches" -> o.rateLaunches = Integer.parseInt(args[++i]);
        case "--rate-threads" -> o.rateThreads = Integer.parseInt(args[++i]);
        case "--rate-rounds" -> o.rateRounds = Integer.parseInt(args[++i]);
        case "--no-peers" -> o.peers = false;
        case "--seed" -> o.seed = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("terrace-bench-containers");
    int status = 0;
    try {
      System.out.println(run(dir, o));
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    } finally {
      ContainerDirs.deleteUnlessMounted(dir);
    }
    System.exit(status); // the shared registry's shutdown hook stops it
  }

  /** One measured launch. */
  private interface Launch {
    void run() throws Exception;
  }

  private static final class Options {
    long seed = 1;
    int rounds = 30;
    String runtime = "crun";
    int rateLaunches = 100;
    int rateThreads = 4;
    int rateRounds = 3;
    boolean peers = true;
  }

  private static ObjectNode run(Path dir, Options o) throws Exception {
    String registryRef = SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG);
    Path archive = ImageArchives.dockerSave(BusyboxImage.image(false),
        List.of(AgentSide.IMPORTED), dir.resolve("busybox.tar"));
    ObjectNode summary = JSON.createObjectNode();
    summary.put("benchmark", "containers");
    summary.put("rounds", o.rounds);
    try (AgentSide terrace = new AgentSide(dir.resolve("terrace"), o.runtime,
             ContainerMonitor.Kind.TERRACE, archive);
         AgentSide conmon = new AgentSide(dir.resolve("conmon"), o.runtime,
             ContainerMonitor.Kind.CONMON, archive)) {
      summary.put("runtime", terrace.containerizer.runtimeName());
      // Warm up (pull, unpack, JIT: an agent that has run for a while has compiled its launch
      // path; 30 launches bring prepare + mount from ~3 ms down to under 1 ms); keep the bundle
      // the agent writes for the runtime's own run.
      Path agentConfig = dir.resolve("agent-config.json");
      for (int i = 0; i < 30; i++) {
        for (AgentSide side : List.of(terrace, conmon)) {
          ContainerLaunch l = side.runToExit(registryRef);
          if (i == 0 && side == terrace) {
            Files.copy(side.containerizer.containerDir(l.containerId())
                .resolve("bundle/config.json"), agentConfig);
          }
          side.containerizer.destroy(l.containerId());
        }
      }
      Samples runtimeRun = new Samples();
      Samples runtimeRunAlone = new Samples();
      try (RuntimeRuns runtimeRuns = new RuntimeRuns(dir, agentConfig, terrace.containerizer)) {
        for (int i = 0; i < 5; i++) {
          runtimeRuns.runOnce(null); // the first runs warm the page cache
        }
        // Interleaved, in a new random order each round, so that load hits every kind alike:
        // other work, and above all the kernel still tearing down the container that exited
        // just before (a launch right after another container's exit took ~10 ms longer here,
        // whichever launched it).
        java.util.Random order = new java.util.Random(o.seed);
        for (int r = 0; r < o.rounds; r++) {
          List<Launch> round = new java.util.ArrayList<>(List.of(
              () -> terrace.measureRegistryTag(registryRef), terrace::measureImportedTag,
              () -> conmon.measureRegistryTag(registryRef), conmon::measureImportedTag,
              () -> runtimeRuns.runOnce(runtimeRun)));
          java.util.Collections.shuffle(round, order);
          for (Launch l : round) {
            l.run();
          }
        }
        // And the runtime alone, back to back, as a run of its own would see it.
        for (int r = 0; r < o.rounds; r++) {
          runtimeRuns.runOnce(runtimeRunAlone);
        }
        for (int r = 0; r < o.rounds; r++) {
          terrace.measureForcedPull(registryRef);
          conmon.measureForcedPull(registryRef);
        }
      }
      summary.put("runtime_run_to_exit_p50_ms", runtimeRun.p(50));
      summary.put("runtime_run_to_exit_p90_ms", runtimeRun.p(90));
      summary.put("runtime_run_alone_to_exit_p50_ms", runtimeRunAlone.p(50));
      for (AgentSide side : List.of(terrace, conmon)) {
        String k = "agent_" + side.name() + "_";
        summary.put(k + "launch_p50_ms", side.launchOnly.p(50));
        var steps = summary.putObject(k + "launch_steps_p50_ms");
        side.steps.forEach((step, samples) ->
            steps.put(step.name().toLowerCase(java.util.Locale.ROOT), samples.p(50)));
        summary.put(k + "registry_tag_to_exit_p50_ms", side.registryToExit.p(50));
        summary.put(k + "registry_tag_force_pull_to_exit_p50_ms", side.forcePullToExit.p(50));
        summary.put(k + "imported_tag_to_exit_p50_ms", side.importedToExit.p(50));
        summary.put(k + "registry_tag_to_exit_p90_ms", side.registryToExit.p(90));
        summary.put(k + "imported_tag_to_exit_p90_ms", side.importedToExit.p(90));
        summary.put(k + "ratio_registry_tag_p50",
            Samples.round(side.registryToExit.p(50) / runtimeRun.p(50)));
        summary.put(k + "ratio_registry_tag_force_pull_p50",
            Samples.round(side.forcePullToExit.p(50) / runtimeRun.p(50)));
        summary.put(k + "ratio_imported_tag_p50",
            Samples.round(side.importedToExit.p(50) / runtimeRun.p(50)));
      }
      for (AgentSide side : List.of(terrace, conmon)) {
        // One round first, unmeasured: a running agent has compiled its launch path long ago.
        side.launchRate(o.rateLaunches, o.rateThreads);
        List<Double> rates = new java.util.ArrayList<>();
        for (int r = 0; r < o.rateRounds; r++) {
          rates.add(side.launchRate(o.rateLaunches, o.rateThreads));
        }
        String k = "agent_" + side.name() + "_launches_per_second_" + o.rateThreads + "_threads";
        summary.put(k, rates.stream().sorted().toList().get(rates.size() / 2));
        rates.forEach(summary.putArray(k + "_rounds")::add);
      }
      if (o.peers) {
        peers(dir, o, registryRef, terrace, summary);
      }
    }
    return summary;
  }

  /** podman, docker and skopeo side by side, and the cold pulls. */
  private static void peers(Path dir, Options o, String registryRef, AgentSide terrace,
      ObjectNode summary) throws Exception {
    Peers peers = new Peers(dir, terrace.containerizer.runtime().binary().toString());
    double agentP50 = terrace.registryToExit.p(50);
    if (Peers.installed("podman")) {
      Samples podman = peers.podmanRuns(registryRef, o.rounds);
      summary.put("podman_run_rm_to_exit_p50_ms", podman.p(50));
      summary.put("podman_run_rm_to_exit_p90_ms", podman.p(90));
      summary.put("podman_over_agent_terrace_p50", Samples.round(podman.p(50) / agentP50));
    } else {
      summary.put("podman", "not installed");
    }
    summary.put("docker", Peers.dockerDaemon() ? "daemon found but not measured"
        : "not available (no daemon on this machine)");
    String bigRef = ColdPulls.pushBigImage();
    int pulls = Math.max(3, o.rounds / 3);
    summary.put("pull_rounds", pulls);
    for (var image : List.of(List.of("busybox", registryRef), List.of("big", bigRef))) {
      String k = "cold_pull_" + image.get(0) + "_";
      Samples agent = ColdPulls.agent(dir, image.get(1), pulls);
      summary.put(k + "agent_p50_ms", agent.p(50));
      if (Peers.installed("podman")) {
        Samples podman = peers.podmanPulls(image.get(1), pulls);
        summary.put(k + "podman_pull_p50_ms", podman.p(50));
        summary.put(k + "agent_over_podman_p50", Samples.round(agent.p(50) / podman.p(50)));
      }
      if (Peers.installed("skopeo")) {
        summary.put(k + "skopeo_copy_p50_ms", peers.skopeoCopies(image.get(1), pulls).p(50));
      }
    }
  }
}
