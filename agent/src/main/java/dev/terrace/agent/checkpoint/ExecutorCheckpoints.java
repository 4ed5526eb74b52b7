package dev.terrace.agent.checkpoint;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.FrameworkId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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

  public List<ExecutorCheckpoint> readAll() throws IOException {
    List<ExecutorCheckpoint> out = new ArrayList<>();
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
        try {
          ExecutorCheckpoint cp = Json.parse(Files.readAllBytes(f), ExecutorCheckpoint.class);
          if (file(cp.frameworkId(), cp.executor().executorId()).getFileName().toString().equals(name)) {
            out.add(cp);
          } else {
            LOG.error("Executor checkpoint {} names another executor; skipping it", f);
          }
        } catch (IOException | RuntimeException e) {
          LOG.error("Unreadable executor checkpoint {}; skipping it: {}", f, e.getMessage());
        }
      }
    }
    return out;
  }

  private Path file(FrameworkId framework, ExecutorId executor) {
    return dir.resolve(TaskCheckpoints.hex(framework.value()) + "_"
        + TaskCheckpoints.hex(executor.value()) + SUFFIX);
  }
}
