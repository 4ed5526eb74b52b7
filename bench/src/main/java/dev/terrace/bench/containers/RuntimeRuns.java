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
 * launch path through the runtime CLI has. One run at a time, so that the benchmark can
 * interleave them with the agent's launches and both meet the same load (the kernel's teardown
 * of the previous containers' cgroups and namespaces goes on after each of them).
 */
final class RuntimeRuns implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path baseline;
  private final Path state;
  private final ObjectNode config;
  private final String runtime;
  private int runs;

  RuntimeRuns(Path dir, Path agentConfig, OciContainerizer containerizer) throws Exception {
    var images = containerizer.images().orElseThrow();
    var prepared = images.prepare(AgentSide.IMPORTED);
    this.baseline = Files.createDirectories(dir.resolve("baseline"));
    Path rootfs = new OverlaySnapshotter().mount(baseline.resolve("container"), prepared.layers());
    images.release(prepared);
    this.config = (ObjectNode) JSON.readTree(agentConfig.toFile());
    ((ObjectNode) config.get("root")).put("path", rootfs.toString());
    this.runtime = containerizer.runtime().binary().toString();
    this.state = Files.createDirectories(dir.resolve("baseline-state"));
  }

  /** One {@code <runtime> run} to the exit of its process, timed into {@code times}. */
  void runOnce(Samples times) throws Exception {
    String id = "bench-run-" + runs++;
    ((ObjectNode) config.get("linux")).put("cgroupsPath", "/terrace/" + id);
    Path bundle = Files.createDirectories(baseline.resolve("bundle-" + id));
    JSON.writeValue(bundle.resolve("config.json").toFile(), config);
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(runtime, "--root", state.toString(), "run", "-b",
        bundle.toString(), id).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(runtime + " run exited " + code);
    }
    if (times != null) {
      times.since(t0);
    }
  }

  @Override
  public void close() throws Exception {
    new OverlaySnapshotter().unmount(baseline.resolve("container"));
  }
}
