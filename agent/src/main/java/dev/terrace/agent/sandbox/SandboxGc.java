package dev.terrace.agent.sandbox;

import dev.terrace.agent.content.Digest;
import dev.terrace.agent.rootfs.ContainerDirs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the sandboxes of finished tasks: each is scheduled when its task is over (ended, its
 * container destroyed and every status update acknowledged) and removed once its delay has passed,
 * or earlier, oldest first, while the disk has less free space than the headroom. The schedule is
 * checkpointed ({@code meta/sandbox-gc/<sha256 of the path>} holding the deadline and the path),
 * so a restarted agent keeps it; a sandbox found at start that no task owns and nothing scheduled
 * (a crash between the task's end and its scheduling) is scheduled then.
 *
 * <p>Never removed: a sandbox in the {@code active} set the caller passes (its tasks, running or
 * recovering), a path outside the agents root (a checkpoint is a file anyone with root could edit),
 * a directory with a mount below it. Blocking; runs on the agent's worker pool, one call at a
 * time.
 */
public final class SandboxGc {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxGc.class);

  private final Path checkpoints;
  private final Path agentsRoot;
  private final SandboxSettings settings;
  private final DoubleSupplier diskUsedFraction;
  private final Clock clock;
  private final Map<Path, Long> deadlines = new ConcurrentHashMap<>();

  /**
   * @param diskUsedFraction the used fraction of the disk the sandboxes are on
   */
  public SandboxGc(Path checkpoints, Path agentsRoot, SandboxSettings settings,
      DoubleSupplier diskUsedFraction, Clock clock) throws IOException {
    this.checkpoints = Files.createDirectories(checkpoints);
    this.agentsRoot = agentsRoot.toAbsolutePath().normalize();
    this.settings = settings;
    this.diskUsedFraction = diskUsedFraction;
    this.clock = clock;
    load();
  }

  /** The used fraction of {@code dir}'s file system, for {@code diskUsedFraction}. */
  public static DoubleSupplier diskOf(Path dir) {
    return () -> {
      try {
        var store = Files.getFileStore(dir);
        return 1.0 - (double) store.getUsableSpace() / store.getTotalSpace();
      } catch (IOException e) {
        return 0;
      }
    };
  }

  /** When each scheduled sandbox goes (epoch millis). */
  public Map<Path, Long> schedule() {
    return Map.copyOf(deadlines);
  }

  /** Schedules {@code sandbox} for removal after the delay; checkpointed before it returns. */
  public void schedule(Path sandbox) throws IOException {
    Path p = sandbox.toAbsolutePath().normalize();
    long deadline = clock.millis() + settings.gcDelay().toMillis();
    Path tmp = checkpoints.resolve(".tmp-" + UUID.randomUUID());
    Files.writeString(tmp, deadline + " " + p, StandardCharsets.UTF_8);
    Files.move(tmp, checkpoint(p), StandardCopyOption.ATOMIC_MOVE);
    deadlines.put(p, deadline);
  }

  /**
   * At start, after recovery: schedules every sandbox under the agents root that no task in
   * {@code active} owns and nothing scheduled yet.
   */
  public List<Path> adopt(Set<Path> active) throws IOException {
    List<Path> adopted = new ArrayList<>();
    for (Path run : runDirs()) {
      if (!deadlines.containsKey(run) && !normalized(active).contains(run)) {
        schedule(run);
        adopted.add(run);
      }
    }
    if (!adopted.isEmpty()) {
      LOG.info("Scheduled {} sandbox(es) of earlier tasks for removal", adopted.size());
    }
    return adopted;
  }

  /** Removes what is due, then what disk pressure asks for; returns the sandboxes removed. */
  public List<Path> collect(Set<Path> active) {
    Set<Path> keep = normalized(active);
    List<Map.Entry<Path, Long>> byAge = new ArrayList<>(deadlines.entrySet());
    byAge.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
    long now = clock.millis();
    double limit = 1.0 - settings.gcDiskHeadroom();
    List<Path> removed = new ArrayList<>();
    for (Map.Entry<Path, Long> e : byAge) {
      boolean due = e.getValue() <= now;
      if (!due && diskUsedFraction.getAsDouble() <= limit) {
        break; // the rest are younger still
      }
      Path p = e.getKey();
      if (keep.contains(p)) {
        continue; // a task runs there again (same container id: never, but never is cheap)
      }
      if (remove(p, due ? "its delay passed" : "the disk is short of space")) {
        removed.add(p);
      }
    }
    return removed;
  }

  private boolean remove(Path sandbox, String why) {
    try {
      if (!sandbox.startsWith(agentsRoot) || sandbox.getNameCount() <= agentsRoot.getNameCount()) {
        LOG.warn("Not removing {}: outside the agents root", sandbox);
      } else {
        ContainerDirs.deleteUnlessMounted(sandbox);
        removeEmptyExecutorDir(sandbox);
        LOG.info("Removed sandbox {} ({})", sandbox, why);
      }
      Files.deleteIfExists(checkpoint(sandbox));
      deadlines.remove(sandbox);
      return true;
    } catch (IOException e) {
      LOG.warn("Cannot remove sandbox {}: {}", sandbox, e.getMessage());
      return false;
    }
  }

  /** {@code executors/<task>/runs/latest} dangles once the last run is gone: drop the task dir. */
  private static void removeEmptyExecutorDir(Path sandbox) throws IOException {
    Path runs = sandbox.getParent();
    if (runs == null || !runs.getFileName().toString().equals("runs")) {
      return;
    }
    try (var s = Files.list(runs)) {
      for (Path p : s.toList()) {
        if (!(p.getFileName().toString().equals("latest") && !Files.exists(p))) {
          return;
        }
      }
    }
    ContainerDirs.deleteUnlessMounted(runs.getParent());
  }

  /** {@code agents/<agent>/frameworks/<fw>/executors/<task>/runs/<container>} directories. */
  private List<Path> runDirs() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(agentsRoot)) {
      return out;
    }
    try (var s = Files.find(agentsRoot, 7, (p, a) -> a.isDirectory() && !a.isSymbolicLink()
        && p.getNameCount() == agentsRoot.getNameCount() + 7
        && p.getParent().getFileName().toString().equals("runs"))) {
      s.forEach(p -> out.add(p.toAbsolutePath().normalize()));
    }
    return out;
  }

  private Path checkpoint(Path sandbox) {
    return checkpoints.resolve(
        Digest.of(sandbox.toString().getBytes(StandardCharsets.UTF_8)).hex());
  }

  private void load() throws IOException {
    try (var s = Files.list(checkpoints)) {
      for (Path f : s.toList()) {
        if (f.getFileName().toString().startsWith(".tmp-")) {
          Files.deleteIfExists(f);
          continue;
        }
        String text = Files.readString(f, StandardCharsets.UTF_8).strip();
        int space = text.indexOf(' ');
        try {
          Path sandbox = Path.of(text.substring(space + 1)).toAbsolutePath().normalize();
          long deadline = Long.parseLong(text.substring(0, space));
          if (!f.equals(checkpoint(sandbox))) {
            Files.move(f, checkpoint(sandbox), StandardCopyOption.REPLACE_EXISTING);
          }
          deadlines.put(sandbox, deadline);
        } catch (RuntimeException e) {
          LOG.warn("Ignoring unreadable sandbox GC checkpoint {}", f);
        }
      }
    }
  }

  private static Set<Path> normalized(Set<Path> paths) {
    return paths.stream().map(p -> p.toAbsolutePath().normalize())
        .collect(java.util.stream.Collectors.toSet());
  }
}
