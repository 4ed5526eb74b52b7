package dev.terrace.agent.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A task's {@code disk} resource as a limit on what it writes: its sandbox plus its container's
 * writable layer, measured with {@code du} (allocated blocks, so a sparse file costs what it
 * really uses), as Mesos' {@code disk/du} isolator does. Enforcement is after the fact: a task may
 * go over by what it writes between two checks, which is why the agent checks often and kills at
 * once. Chosen over a quota in the file system because it works on any file system and needs no
 * mount (a loop device or tmpfs per sandbox) that could leak if the agent dies.
 */
final class DiskQuota {
  private static final long DU_TIMEOUT_SECONDS = 60;
  private final long limitBytes;
  private final List<Path> paths;

  /**
   * @param limitBytes the task's disk resource in bytes
   * @param paths what counts against it; those that do not exist (yet) count nothing
   */
  DiskQuota(long limitBytes, List<Path> paths) {
    this.limitBytes = limitBytes;
    this.paths = List.copyOf(paths);
  }

  /** Bytes in use now. Blocking: runs {@code du}. */
  long usedBytes() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("du", "-s", "-k", "-x", "-c"));
    paths.stream().filter(Files::exists).map(Path::toString).forEach(cmd::add);
    if (cmd.size() == 5) {
      return 0;
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(DU_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("du took longer than " + DU_TIMEOUT_SECONDS + " s");
    }
    // du exits 1 when a file vanished during the walk; its total is still the best there is.
    String[] lines = out.strip().split("\n");
    String total = lines[lines.length - 1];
    if (!total.endsWith("total")) {
      throw new IOException("unexpected du output: " + out);
    }
    return Long.parseLong(total.split("\\s+")[0]) * 1024;
  }

  /** Why the task must end (over its limit), or empty. Blocking. */
  Optional<String> exceeded() throws IOException, InterruptedException {
    long used = usedBytes();
    if (used <= limitBytes) {
      return Optional.empty();
    }
    return Optional.of(String.format("Disk usage (%d MB) exceeds the task's disk limit (%d MB)",
        used >> 20, limitBytes >> 20));
  }
}
