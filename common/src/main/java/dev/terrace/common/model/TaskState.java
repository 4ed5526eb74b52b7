package dev.terrace.common.model;

/** Mesos `TaskState`, with which of them are terminal. */
public enum TaskState {
  TASK_STAGING,
  TASK_STARTING,
  TASK_RUNNING,
  TASK_KILLING,
  TASK_FINISHED,
  TASK_FAILED,
  TASK_KILLED,
  TASK_ERROR,
  TASK_LOST,
  TASK_DROPPED,
  TASK_UNREACHABLE,
  TASK_GONE,
  TASK_GONE_BY_OPERATOR,
  TASK_UNKNOWN;

  /** Terminal states free the task's resources; no update follows them. */
  public boolean isTerminal() {
    return switch (this) {
      case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
          TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }
}
