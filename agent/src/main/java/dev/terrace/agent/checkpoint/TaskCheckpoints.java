package dev.terrace.agent.checkpoint;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task checkpoints of one agent, one JSON file per task under {@code meta/tasks}. Every method
 * does file I/O: call them from the agent's worker pool, never from its event loop.
 *
 * <p>Writes go to a temporary file that is synced and then renamed over the old one, so a crash at
 * any point leaves either the previous checkpoint or the new one, never a torn file. Reading skips
 * (and logs) a file that does not parse instead of failing: one bad checkpoint must not keep the
 * agent, and every other task on it, from coming back.
 */
public final class TaskCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(TaskCheckpoints.class);
  private static final String SUFFIX = ".json";

  private final Path dir;

  public TaskCheckpoints(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Writes (or replaces) the checkpoint of {@code cp}'s task atomically and durably. */
  public void write(TaskCheckpoint cp) throws IOException {
    writeDurably(file(cp.frameworkId(), cp.task().taskId()), Json.toBytes(cp));
  }

  /**
   * Writes {@code bytes} to a temporary file beside {@code file}, syncs it and renames it over
   * {@code file}: a crash at any point leaves the old content or the new, never a torn file.
   */
  static void writeDurably(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      // The rename below is only as good as the data behind it: sync before it replaces anything.
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Removes the checkpoint of a task; nothing happens when there is none. */
  public void remove(FrameworkId framework, TaskId task) throws IOException {
    Files.deleteIfExists(file(framework, task));
  }

  /**
   * Every readable checkpoint, in file name order. Unparseable or inconsistent files are skipped
   * with an error in the log; leftover temporary files (a crash during a write) are removed.
   */
  public List<TaskCheckpoint> readAll() throws IOException {
    return readDir(dir, this::read);
  }

  /**
   * The checkpoints {@code reader} makes of the {@code .json} files of {@code dir} (by name and
   * file, empty for one to skip), in file name order; leftover temporary files are removed.
   */
  static <T> List<T> readDir(Path dir,
      java.util.function.BiFunction<Path, String, java.util.Optional<T>> reader) throws IOException {
    List<T> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    for (Path f : files) {
      String name = f.getFileName().toString();
      if (name.endsWith(".tmp")) {
        Files.deleteIfExists(f);
      } else if (name.endsWith(SUFFIX)) {
        reader.apply(f, name).ifPresent(out::add);
      }
    }
    return out;
  }

  private java.util.Optional<TaskCheckpoint> read(Path f, String name) {
    try {
      TaskCheckpoint cp = Json.parse(Files.readAllBytes(f), TaskCheckpoint.class);
      // A file whose name does not match its content was not written by write(): trust neither.
      if (!file(cp.frameworkId(), cp.task().taskId()).getFileName().toString().equals(name)) {
        LOG.error("Task checkpoint {} names another task ({}); skipping it", f, cp.task().taskId());
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(cp);
    } catch (IOException | RuntimeException e) {
      LOG.error("Unreadable task checkpoint {}; skipping it: {}", f, e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /** Ids may hold characters a file name cannot; hex keeps names safe and unique. */
  private Path file(FrameworkId framework, TaskId task) {
    return dir.resolve(hex(framework.value()) + "_" + hex(task.value()) + SUFFIX);
  }

  static String hex(String s) {
    return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
  }
}
