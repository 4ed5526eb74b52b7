package dev.terrace.bench.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The other tools on this machine, run side by side with the agent on the same image from the
 * same registry: podman (run and pull), skopeo (copy, which downloads without unpacking) and
 * docker (only when a daemon answers). Each has a storage root of its own, removed after use.
 */
final class Peers {
  private final Path dir;
  private final String runtime;

  Peers(Path dir, String runtime) {
    this.dir = dir;
    this.runtime = runtime;
  }

  static boolean installed(String tool) {
    return dev.terrace.agent.runtime.Binaries.find(tool).isPresent();
  }

  /** Whether a docker daemon answers (the client alone is not enough). */
  static boolean dockerDaemon() {
    if (!installed("docker")) {
      return false;
    }
    try {
      return run(List.of("docker", "info"), false) == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** podman's global flags for a storage root of its own (no systemd here: cgroupfs, file events). */
  private List<String> podman(Path root) {
    return new ArrayList<>(List.of("podman", "--root", root.resolve("storage").toString(),
        "--runroot", root.resolve("run").toString(), "--storage-driver", "overlay",
        "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", runtime,
        "--tmpdir", root.resolve("tmp").toString()));
  }

  /** Short, outside the benchmark's directory: podman refuses a runroot over 50 characters. */
  private static Path newRoot() throws IOException {
    return Files.createTempDirectory("tpod");
  }

  /**
   * {@code podman run --rm} of {@code /bin/true} in {@code image} (pulled first, not timed), on the
   * host network like the agent's task; HOST-NOTES' ulimits, without which podman fails here.
   */
  Samples podmanRuns(String image, int rounds) throws Exception {
    Path root = newRoot();
    try {
      check(podmanPull(root, image));
      Samples times = new Samples();
      for (int r = 0; r < rounds + 2; r++) {
        List<String> cmd = podman(root);
        cmd.addAll(List.of("run", "--rm", "--pull", "never", "--network", "host",
            "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=32768:32768", image,
            "/bin/true"));
        long t0 = System.nanoTime();
        check(run(cmd, true), cmd);
        if (r >= 2) {
          times.since(t0);
        }
      }
      return times;
    } finally {
      reset(root);
    }
  }

  /** Cold {@code podman pull} (download and unpack) into a new storage root each round. */
  Samples podmanPulls(String image, int rounds) throws Exception {
    Samples times = new Samples();
    for (int r = 0; r < rounds; r++) {
      Path root = newRoot();
      try {
        long t0 = System.nanoTime();
        check(podmanPull(root, image));
        times.since(t0);
      } finally {
        reset(root);
      }
    }
    return times;
  }

  /** Cold {@code skopeo copy} to a new OCI layout each round (download only, no unpack). */
  Samples skopeoCopies(String image, int rounds) throws Exception {
    Samples times = new Samples();
    for (int r = 0; r < rounds; r++) {
      Path layout = dir.resolve("skopeo-" + r);
      List<String> cmd = List.of("skopeo", "copy", "--quiet", "--src-tls-verify=false",
          "docker://" + image, "oci:" + layout + ":bench");
      long t0 = System.nanoTime();
      check(run(cmd, true), cmd);
      times.since(t0);
      dev.terrace.agent.rootfs.ContainerDirs.deleteUnlessMounted(layout);
    }
    return times;
  }

  private int podmanPull(Path root, String image) throws Exception {
    List<String> cmd = podman(root);
    cmd.addAll(List.of("pull", "--quiet", "--tls-verify=false", image));
    return run(cmd, true);
  }

  /** Removes everything podman made under {@code root}, mounts included, then the directory. */
  private void reset(Path root) throws Exception {
    List<String> cmd = podman(root);
    cmd.addAll(List.of("system", "reset", "--force"));
    run(cmd, false);
    dev.terrace.agent.rootfs.ContainerDirs.deleteUnlessMounted(root);
  }

  private static void check(int code) {
    if (code != 0) {
      throw new IllegalStateException("podman pull exited " + code);
    }
  }

  private static void check(int code, List<String> cmd) {
    if (code != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + code);
    }
  }

  private static int run(List<String> cmd, boolean showErrors) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(showErrors ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + String.join(" ", cmd));
    }
    return p.exitValue();
  }
}
