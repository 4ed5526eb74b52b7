package dev.terrace.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodesTest {

  private static TaskStatus status(TaskState state, String message) {
    return TaskStatus.of(TaskId.of("run-1"), state, TaskStatus.Source.SOURCE_EXECUTOR, null,
        message, AgentId.of("A1"));
  }

  @ParameterizedTest(name = "{0} \"{1}\" -> {2}")
  @CsvSource(nullValues = "null", value = {
      "TASK_FINISHED, Command exited with status 0, 0",
      "TASK_FINISHED, null, 0",
      "TASK_FAILED, Command exited with status 3, 3",
      "TASK_FAILED, Command exited with status 255, 255",
      "TASK_FAILED, Command terminated by signal 11, 139",
      "TASK_FAILED, Command terminated with signal 6, 134",
      "TASK_FAILED, Command exited with status 0, 1",
      "TASK_FAILED, Executor crashed, 1",
      "TASK_FAILED, null, 1",
      "TASK_KILLED, Command terminated by signal 15, 143",
      "TASK_KILLED, Command terminated by signal 9, 137",
      "TASK_KILLED, Killed by operator, 137",
      "TASK_KILLED, null, 137",
      "TASK_ERROR, Task uses more resources than offered, 125",
      "TASK_DROPPED, Agent removed before launch, 125",
      "TASK_LOST, Agent lost, 1",
      "TASK_GONE, null, 1",
  })
  void mapsTerminalStatusToExitCode(TaskState state, String message, int expected) {
    assertThat(ExitCodes.forStatus(status(state, message))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"Command exited with status 99999999999, 255", "Command terminated by signal 9999, 255"})
  void clampsAbsurdNumbersToTheShellRange(String message, int expected) {
    assertThat(ExitCodes.parse(message)).isEqualTo(expected);
  }
}
