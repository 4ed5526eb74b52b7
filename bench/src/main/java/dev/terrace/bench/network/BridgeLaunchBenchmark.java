package dev.terrace.bench.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.containerizer.OciContainerizerConfig;
import dev.terrace.agent.network.CniNetworkList;
import dev.terrace.agent.network.NetworkRequest;
import dev.terrace.agent.network.NetworkSettings;
import dev.terrace.agent.network.PortMapping;
import dev.terrace.agent.rootfs.ContainerDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bench/run network [--rounds N] [--warmup W]}: what bridge mode adds to a container's
 * launch and destroy, against the CNI plugins driven directly ({@link DirectCni}).
 *
 * <p>Each round, interleaved so drift hits all alike: a real container (conmon + the runtime,
 * imageless, {@code sleep}) launched and destroyed in host mode; the same on the default bridge
 * network with one port mapping (namespace, bridge + host-local + portmap ADD, checkpoints, /etc
 * files, then DEL and release); and the direct baseline (namespace, the same chain's ADD and DEL).
 * The plugins act in a namespace the benchmark makes, so the machine's network is never touched.
 * Extra = bridge − host (medians); ratio = extra / direct; the goal is ratio ≤ 1.2. Needs root.
 */
public final class BridgeLaunchBenchmark {
  private BridgeLaunchBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = 20;
    int warmup = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String tag = UUID.randomUUID().toString().substring(0, 6);
    String hostNs = "tbench-" + tag;
    Path workDir = Files.createTempDirectory("terrace-bench-network");
    run(List.of("ip", "netns", "add", hostNs));
    try {
      run(List.of("ip", "-n", hostNs, "link", "set", "lo", "up"));
      NetworkSettings settings = NetworkSettings.defaults(workDir)
          .withDefaultNetwork("10.77.0.0/16", "tbb" + tag)
          .withPluginNetns(Path.of("/run/netns", hostNs));
      OciContainerizer containerizer = OciContainerizer.create(
          OciContainerizerConfig.defaults(workDir).withNetwork(settings));
      CniNetworkList direct = containerizer.networks().networks().get(NetworkSettings.DEFAULT_NETWORK);
      // The baseline's own IP leases, so the two never share host-local state.
      ObjectNode json = direct.toJson();
      ((ObjectNode) json.path("plugins").get(0).path("ipam"))
          .put("dataDir", workDir.resolve("direct-ipam").toString());
      DirectCni baseline = new DirectCni(CniNetworkList.parse(json), NetworkSettings.DEBIAN_PLUGIN_DIR,
          Path.of("/run/netns", hostNs), workDir.resolve("direct-netns"));
      List<PortMapping> ports = List.of(new PortMapping(31080, 8080, "tcp"));
      List<Double> host = new ArrayList<>();
      List<Double> bridge = new ArrayList<>();
      List<Double> cni = new ArrayList<>();
      for (int r = 0; r < warmup + rounds; r++) {
        boolean measured = r >= warmup;
        double h = timeContainer(containerizer, workDir, null);
        double b = timeContainer(containerizer, workDir,
            new NetworkRequest(NetworkSettings.DEFAULT_NETWORK, ports));
        long t0 = System.nanoTime();
        baseline.addAndDelete("direct-" + r, ports);
        double d = (System.nanoTime() - t0) / 1e6;
        if (measured) {
          host.add(h);
          bridge.add(b);
          cni.add(d);
          System.err.printf("round %d: host %.1f ms, bridge %.1f ms, direct CNI %.1f ms%n",
              r - warmup + 1, h, b, d);
        }
      }
      containerizer.close();
      double extra = median(bridge) - median(host);
      ObjectNode summary = new ObjectMapper().createObjectNode();
      summary.put("benchmark", "network");
      summary.put("rounds", rounds);
      summary.put("runtime", containerizer.runtimeName());
      summary.put("host_launch_destroy_ms_median", round(median(host)));
      summary.put("bridge_launch_destroy_ms_median", round(median(bridge)));
      summary.put("bridge_extra_ms", round(extra));
      summary.put("direct_cni_add_del_ms_median", round(median(cni)));
      summary.put("direct_cni_add_del_ms_p90", round(percentile(cni, 0.9)));
      summary.put("ratio_extra_to_direct", Math.round(extra / median(cni) * 100) / 100.0);
      System.out.println(summary);
    } finally {
      run(List.of("ip", "netns", "del", hostNs));
      ContainerDirs.deleteUnlessMounted(workDir);
    }
  }

  private static double timeContainer(OciContainerizer c, Path workDir, NetworkRequest network)
      throws Exception {
    String id = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    Path sandbox = Files.createDirectories(workDir.resolve("sandboxes").resolve(id));
    ContainerLaunch launch = new ContainerLaunch(id, sandbox, List.of("/bin/sh", "-c", "sleep 60"),
        Map.of("PATH", "/usr/bin:/bin"), 0.1, 32L << 20, id, null, false, network);
    long t0 = System.nanoTime();
    c.launch(launch);
    c.destroy(id);
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double median(List<Double> xs) {
    return percentile(xs, 0.5);
  }

  private static double percentile(List<Double> xs, double p) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.floor(p * s.size())));
  }

  private static double round(double ms) {
    return Math.round(ms * 10) / 10.0;
  }

  private static void run(List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + ": " + out);
    }
  }
}
