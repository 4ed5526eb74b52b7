package dev.terrace.master.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.scheduler.Call;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptSizeLimitTest {
  private static Call accept(int launches, int tasksEach) {
    List<Operation> ops = new ArrayList<>();
    for (int i = 0; i < launches; i++) {
      List<TaskInfo> tasks = new ArrayList<>();
      for (int t = 0; t < tasksEach; t++) {
        tasks.add(TaskInfo.command("t", TaskId.of("t" + i + "-" + t), AgentId.of("a"), List.of(),
            CommandInfo.shell("true")));
      }
      ops.add(Operation.launch(tasks));
    }
    return Call.accept(FrameworkId.of("f"), List.of(OfferId.of("o")), ops, null);
  }

  @Test
  void anAcceptWithinTheCapsIsValidAndOnePastThemIsNot() {
    assertThat(CallValidator.validate(accept(1, 1000))).isNull();
    assertThat(CallValidator.validate(accept(1, 1001)))
        .isEqualTo("An ACCEPT may launch at most 1000 tasks, not 1001");
    assertThat(CallValidator.validate(accept(2, 501))).contains("at most 1000 tasks, not 1002");
    assertThat(CallValidator.validate(accept(1001, 0)))
        .isEqualTo("An ACCEPT may carry at most 1000 operations, not 1001");
    assertThat(CallValidator.validate(accept(1000, 1))).isNull();
  }
}
