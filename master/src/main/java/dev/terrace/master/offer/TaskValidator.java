package dev.terrace.master.offer;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.resources.Resources;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Checks one task of a LAUNCH against the offer it uses. Pure: the caller owns the state. Each
 * refusal is a sentence a framework author can act on; it becomes the TASK_ERROR message.
 */
public final class TaskValidator {
  private TaskValidator() {}

  /**
   * @param remaining what is left of the accepted offers after the tasks before this one
   * @param idInUse whether the framework already has a live task with an id
   */
  public static Optional<String> validate(TaskInfo task, AgentId offerAgent, Resources remaining,
      Predicate<String> idInUse) {
    if (task.taskId() == null || task.taskId().value().isEmpty()) {
      return Optional.of("Task has no task_id");
    }
    String id = task.taskId().value();
    if (id.contains("/") || id.chars().anyMatch(Character::isWhitespace) || id.equals(".")
        || id.equals("..")) {
      return Optional.of("Task id '" + id + "' may not contain '/' or whitespace, nor be '.' or '..'");
    }
    if (idInUse.test(id)) {
      return Optional.of("Task has duplicate ID: " + id);
    }
    if (task.name() == null) {
      return Optional.of("Task '" + id + "' has no name");
    }
    if (task.agentId() == null || !task.agentId().equals(offerAgent)) {
      return Optional.of("Task uses agent " + task.agentId() + " but the offers are for agent "
          + offerAgent);
    }
    if ((task.command() == null) == (task.executor() == null)) {
      return Optional.of("Task '" + id + "' needs exactly one of 'command' or 'executor'");
    }
    if (task.executor() != null) {
      if (task.executor().executorId() == null || task.executor().executorId().value().isEmpty()) {
        return Optional.of("Task '" + id + "' has an executor without 'executor_id'");
      }
      if (task.executor().command() == null || task.executor().command().value() == null
          || task.executor().command().value().isEmpty()) {
        return Optional.of("Task '" + id + "' has an executor without a command to run");
      }
    } else if (task.command().isShell() && (task.command().value() == null || task.command().value().isEmpty())) {
      return Optional.of("Task '" + id + "' has a shell command without 'value'");
    }
    boolean hasImage = task.container() != null && task.container().imageName() != null;
    if (task.command() != null && !task.command().isShell() && task.command().value() == null && !hasImage) {
      // Only an image can supply the program (its entrypoint) when the command names none.
      return Optional.of("Task '" + id + "' has a non-shell command without 'value' (the executable)");
    }
    Resources wanted;
    try {
      wanted = Resources.of(task.resources());
    } catch (IllegalArgumentException e) {
      return Optional.of("Task '" + id + "' has invalid resources: " + e.getMessage());
    }
    if (wanted.scalar("cpus") <= 0 || wanted.scalar("mem") <= 0) {
      return Optional.of("Task '" + id + "' must use some 'cpus' and 'mem'; it asks for " + wanted);
    }
    var network = dev.terrace.common.network.TaskNetworkRules.invalid(task);
    if (network.isPresent()) {
      return network;
    }
    if (!remaining.contains(wanted)) {
      return Optional.of("Task '" + id + "' uses resources " + wanted
          + " that are not in the offered resources " + remaining);
    }
    return Optional.empty();
  }
}
