package dev.terrace.bench.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.snapshot.OverlaySnapshotter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code <runtime> run} of the agent's own config.json on an overlay of the same layer, from a
 * new process each time (as the agent, too, starts the runtime as a process): the floor any
 * launch path through the runtime CLI has.
 */
final class RuntimeRuns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RuntimeRuns() {}

  static Samples measure(Path dir, Path agentConfig, OciContainerizer containerizer, int rounds)
      throws Exception {
    var images = containerizer.images().orElseThrow();
    var prepared = images.prepare(AgentSide.IMPORTED);
    Path baseline = Files.createDirectories(dir.resolve("baseline"));
    Path rootfs = new OverlaySnapshotter().mount(baseline.resolve("container"), prepared.layers());
    images.release(prepared);
    ObjectNode config = (ObjectNode) JSON.readTree(agentConfig.toFile());
    ((ObjectNode) config.get("root")).put("path", rootfs.toString());
    String runtime = containerizer.runtime().binary().toString();
    Path state = Files.createDirectories(dir.resolve("baseline-state"));
    Samples times = new Samples();
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
        if (code != 0) {
          throw new IllegalStateException(runtime + " run exited " + code);
        }
        if (r >= 5) { // the first runs warm the page cache
          times.since(t0);
        }
      }
    } finally {
      new OverlaySnapshotter().unmount(baseline.resolve("container"));
    }
    return times;
  }
}
