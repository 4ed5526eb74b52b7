package dev.terrace.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutorCheckpointsTest {
  private static final FrameworkId FW = FrameworkId.of("fw/1");
  @TempDir Path dir;

  private static ExecutorCheckpoint checkpoint(String executor, TaskState state) {
    ExecutorInfo info = ExecutorInfo.custom(ExecutorId.of(executor), CommandInfo.shell("./executor"),
        List.of(Resource.scalar("cpus", 0.1)));
    TaskInfo task = TaskInfo.forExecutor("t", TaskId.of("task of " + executor), AgentId.of("agent-1"),
        List.of(Resource.scalar("mem", 32)), info, null);
    return new ExecutorCheckpoint(FW, FrameworkInfo.of("root", "fw").withId(FW), info,
        "container-" + executor.hashCode(), "/work/agents/a/runs/x",
        List.of(new ExecutorCheckpoint.Task(task, state)));
  }

  @Test
  void checkpointsReadBackAsWrittenAndTheNewestWins() throws Exception {
    ExecutorCheckpoints checkpoints = new ExecutorCheckpoints(dir.resolve("executors"));
    checkpoints.write(checkpoint("echo 1", TaskState.TASK_STAGING));
    checkpoints.write(checkpoint("echo 1", TaskState.TASK_RUNNING));
    checkpoints.write(checkpoint("echo/2", TaskState.TASK_RUNNING));

    assertThat(checkpoints.readAll()).containsExactlyInAnyOrder(
        checkpoint("echo 1", TaskState.TASK_RUNNING), checkpoint("echo/2", TaskState.TASK_RUNNING));

    checkpoints.remove(FW, ExecutorId.of("echo 1"));
    assertThat(checkpoints.readAll()).containsExactly(checkpoint("echo/2", TaskState.TASK_RUNNING));
  }

  @Test
  void anUnreadableFileIsSkippedAndALeftoverTemporaryFileRemoved() throws Exception {
    ExecutorCheckpoints checkpoints = new ExecutorCheckpoints(dir.resolve("executors"));
    checkpoints.write(checkpoint("good", TaskState.TASK_RUNNING));
    Files.writeString(dir.resolve("executors").resolve("bad.json"), "{not json");
    Path tmp = Files.writeString(dir.resolve("executors").resolve("x.json.tmp"), "{");

    assertThat(checkpoints.readAll()).containsExactly(checkpoint("good", TaskState.TASK_RUNNING));
    assertThat(tmp).doesNotExist();
  }
}
