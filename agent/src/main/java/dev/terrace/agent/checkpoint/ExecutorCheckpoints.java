package dev.terrace.agent.checkpoint;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.FrameworkId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The custom executor checkpoints of one agent, one JSON file per executor under
 * {@code meta/executors}, written as the task checkpoints are (atomically, durably). File I/O: call
 * from the agent's worker pool. An unreadable file is skipped with an error, as a task's is.
 */
public final class ExecutorCheckpoints {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorCheckpoints.class);
  private static final String SUFFIX = ".json";

  private final Path dir;

  public ExecutorCheckpoints(Path dir) {
    this.dir = dir;
  }

  public void write(ExecutorCheckpoint cp) throws IOException {
    TaskCheckpoints.writeDurably(file(cp.frameworkId(), cp.executor().executorId()), Json.toBytes(cp));
  }

  public void remove(FrameworkId framework, ExecutorId executor) throws IOException {
    Files.deleteIfExists(file(framework, executor));
  }

  /** Every readable checkpoint; an unreadable or misnamed file is skipped with an error. */
  public List<ExecutorCheckpoint> readAll() throws IOException {
    return TaskCheckpoints.readDir(dir, (f, name) -> {
      try {
        ExecutorCheckpoint cp = Json.parse(Files.readAllBytes(f), ExecutorCheckpoint.class);
        if (file(cp.frameworkId(), cp.executor().executorId()).getFileName().toString().equals(name)) {
          return Optional.of(cp);
        }
        LOG.error("Executor checkpoint {} names another executor; skipping it", f);
      } catch (IOException | RuntimeException e) {
        LOG.error("Unreadable executor checkpoint {}; skipping it: {}", f, e.getMessage());
      }
      return Optional.empty();
    });
  }

  private Path file(FrameworkId framework, ExecutorId executor) {
    return dir.resolve(TaskCheckpoints.hex(framework.value()) + "_"
        + TaskCheckpoints.hex(executor.value()) + SUFFIX);
  }
}
