package dev.terrace.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class TaskCheckpointsTest {
  private static final FrameworkId FW = FrameworkId.of("fw/1");
  @TempDir Path dir;
  private TaskCheckpoints checkpoints;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void setUp() {
    checkpoints = new TaskCheckpoints(dir.resolve("tasks"));
    logs.start();
    ((Logger) LoggerFactory.getLogger(TaskCheckpoints.class)).addAppender(logs);
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(TaskCheckpoints.class)).detachAppender(logs);
  }

  private static TaskCheckpoint checkpoint(String task, TaskState state) {
    TaskInfo info = TaskInfo.command(task, TaskId.of(task), AgentId.of("agent-1"),
        List.of(Resource.scalar("cpus", 0.5), Resource.scalar("mem", 32)),
        CommandInfo.shell("sleep 10"));
    return new TaskCheckpoint(FW, FrameworkInfo.of("root", "fw").withId(FW), info,
        "container-" + task, "/work/agents/a/runs/" + task, state);
  }

  @Test
  void writtenCheckpointsReadBackEqual() throws Exception {
    TaskCheckpoint a = checkpoint("task a", TaskState.TASK_STARTING);
    TaskCheckpoint b = checkpoint("task-b", TaskState.TASK_RUNNING);
    checkpoints.write(a);
    checkpoints.write(b);

    assertThat(checkpoints.readAll()).containsExactlyInAnyOrder(a, b);
  }

  @Test
  void aLaterWriteReplacesTheStateAndRemoveDeletesIt() throws Exception {
    TaskCheckpoint a = checkpoint("a", TaskState.TASK_STARTING);
    checkpoints.write(a);
    checkpoints.write(a.withState(TaskState.TASK_FAILED));
    assertThat(checkpoints.readAll()).containsExactly(a.withState(TaskState.TASK_FAILED));
    assertThat(files()).hasSize(1);

    checkpoints.remove(a.frameworkId(), a.task().taskId());
    checkpoints.remove(a.frameworkId(), a.task().taskId()); // nothing there: no error
    assertThat(checkpoints.readAll()).isEmpty();
  }

  @Test
  void noDirectoryMeansNoCheckpoints() throws Exception {
    assertThat(new TaskCheckpoints(dir.resolve("absent")).readAll()).isEmpty();
  }

  @Test
  void corruptAndForeignFilesAreSkippedWithALogLineAndTheRestIsRead() throws Exception {
    TaskCheckpoint good = checkpoint("good", TaskState.TASK_RUNNING);
    checkpoints.write(good);
    TaskCheckpoint other = checkpoint("other", TaskState.TASK_RUNNING);
    checkpoints.write(other);
    Path otherFile = files().stream().filter(f -> readQuietly(f).contains("\"other\"")).findFirst().orElseThrow();
    Files.writeString(otherFile, "{\"framework_id\": {\"value\": \"fw/1\"}, \"task\": "); // torn
    Files.writeString(checkpoints.dir().resolve("00_01.json"), "not json at all");
    Files.writeString(checkpoints.dir().resolve("00_02.json"), "{}"); // parses, lacks fields
    // Valid content under a name that is not its own (copied by hand, say): not trusted.
    Files.copy(checkpoints.dir().resolve(nameOf(good)), checkpoints.dir().resolve("00_03.json"));
    Files.writeString(checkpoints.dir().resolve("leftover.json.tmp"), "{"); // crash mid-write

    assertThat(checkpoints.readAll()).containsExactly(good);
    assertThat(logs.list).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
        .hasSize(4)
        .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("skipping it"));
    assertThat(checkpoints.dir().resolve("leftover.json.tmp")).doesNotExist();
  }

  private String nameOf(TaskCheckpoint cp) throws Exception {
    return files().stream().filter(f -> readQuietly(f).contains("\"" + cp.containerId() + "\""))
        .findFirst().orElseThrow().getFileName().toString();
  }

  private static String readQuietly(Path f) {
    try {
      return Files.readString(f);
    } catch (Exception e) {
      return "";
    }
  }

  private List<Path> files() throws Exception {
    try (Stream<Path> s = Files.list(checkpoints.dir())) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }
}
