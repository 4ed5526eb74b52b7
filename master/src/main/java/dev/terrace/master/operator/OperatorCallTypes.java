package dev.terrace.master.operator;

import java.util.Set;

/**
 * The call types of Mesos' v1 master operator API ({@code master/master.proto}, {@code
 * Call.Type}). One this master does not implement yet is a 501; a name not in this list is the
 * caller's mistake, a 400.
 */
final class OperatorCallTypes {
  static final Set<String> MESOS = Set.of("GET_HEALTH", "GET_FLAGS", "GET_VERSION", "GET_METRICS",
      "GET_LOGGING_LEVEL", "SET_LOGGING_LEVEL", "LIST_FILES", "READ_FILE", "GET_STATE", "GET_AGENTS",
      "GET_FRAMEWORKS", "GET_EXECUTORS", "GET_OPERATIONS", "GET_TASKS", "GET_ROLES", "GET_WEIGHTS",
      "UPDATE_WEIGHTS", "GET_MASTER", "SUBSCRIBE", "RESERVE_RESOURCES", "UNRESERVE_RESOURCES",
      "CREATE_VOLUMES", "DESTROY_VOLUMES", "GROW_VOLUME", "SHRINK_VOLUME", "GET_MAINTENANCE_STATUS",
      "GET_MAINTENANCE_SCHEDULE", "UPDATE_MAINTENANCE_SCHEDULE", "START_MAINTENANCE",
      "STOP_MAINTENANCE", "DRAIN_AGENT", "DEACTIVATE_AGENT", "REACTIVATE_AGENT", "GET_QUOTA",
      "UPDATE_QUOTA", "SET_QUOTA", "REMOVE_QUOTA", "TEARDOWN", "MARK_AGENT_GONE");

  private OperatorCallTypes() {}
}
