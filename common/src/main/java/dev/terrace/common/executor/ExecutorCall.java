package dev.terrace.common.executor;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskStatus;
import java.util.List;

/**
 * Mesos v1 executor {@code Call} ({@code executor.proto}): what a custom executor sends to its
 * agent's {@code POST /api/v1/executor}. Exactly the payload matching {@code type} is set.
 */
public record ExecutorCall(
    ExecutorId executorId,
    FrameworkId frameworkId,
    Type type,
    Subscribe subscribe,
    Update update,
    Message message) {

  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    SUBSCRIBE,
    UPDATE,
    MESSAGE,
    HEARTBEAT
  }

  /** On (re)subscribing, what the executor still has that the agent may not know it has. */
  public record Subscribe(List<TaskInfo> unacknowledgedTasks, List<Update> unacknowledgedUpdates) {
    public Subscribe {
      unacknowledgedTasks = unacknowledgedTasks == null ? List.of() : List.copyOf(unacknowledgedTasks);
      unacknowledgedUpdates = unacknowledgedUpdates == null ? List.of() : List.copyOf(unacknowledgedUpdates);
    }
  }

  public record Update(TaskStatus status) {}

  public record Message(Bytes data) {}

  public static ExecutorCall subscribe(FrameworkId fw, ExecutorId executor) {
    return new ExecutorCall(executor, fw, Type.SUBSCRIBE, new Subscribe(null, null), null, null);
  }

  public static ExecutorCall update(FrameworkId fw, ExecutorId executor, TaskStatus status) {
    return new ExecutorCall(executor, fw, Type.UPDATE, null, new Update(status), null);
  }

  public static ExecutorCall message(FrameworkId fw, ExecutorId executor, Bytes data) {
    return new ExecutorCall(executor, fw, Type.MESSAGE, null, null, new Message(data));
  }
}
