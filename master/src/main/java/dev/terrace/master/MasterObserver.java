package dev.terrace.master;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;

/**
 * Changes of the master's state as they happen, for the operator event stream (Mesos' operator
 * SUBSCRIBE) and anything else that must follow the cluster without polling it. Called on the
 * master's context, after the change; an observer must not block and must not call back into
 * the master synchronously.
 */
public interface MasterObserver {
  default void taskAdded(TaskEntry task) {}

  /** A task's status changed; {@code status} is the update that changed it. */
  default void taskUpdated(TaskEntry task, TaskStatus status) {}

  default void agentAdded(AgentEntry agent) {}

  default void agentRemoved(AgentId agent) {}

  default void frameworkAdded(FrameworkEntry framework) {}

  /** Subscribed again, disconnected, or its info changed. */
  default void frameworkUpdated(FrameworkEntry framework) {}

  default void frameworkRemoved(FrameworkEntry framework) {}

  /** This master stopped leading: nothing more will come. */
  default void stopped() {}
}
