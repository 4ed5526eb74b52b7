package dev.terrace.security.authz;

/**
 * What a principal may be allowed to do, each with the name of its list in Mesos' ACL JSON and the
 * name of the object its rules match on.
 */
public enum Action {
  /** Subscribe a framework in a role; object: the role. */
  REGISTER_FRAMEWORKS("register_frameworks", "roles"),
  /** Launch a task as a Unix user; object: the user. */
  RUN_TASKS("run_tasks", "users"),
  /** Tear a framework down; object: the framework's principal. */
  TEARDOWN_FRAMEWORKS("teardown_frameworks", "framework_principals"),
  /** Reserve resources for a role; object: the role. */
  RESERVE_RESOURCES("reserve_resources", "roles"),
  /** Unreserve resources; object: the principal that reserved them. */
  UNRESERVE_RESOURCES("unreserve_resources", "reserver_principals"),
  /** Set a role's quota; object: the role. */
  UPDATE_QUOTAS("update_quotas", "roles"),
  /** Set a role's weight; object: the role. */
  UPDATE_WEIGHTS("update_weights", "roles"),
  /** See frameworks in the operator views; object: the framework's user. */
  VIEW_FRAMEWORKS("view_frameworks", "users"),
  /** See tasks in the operator views; object: the task's user. */
  VIEW_TASKS("view_tasks", "users"),
  /** Read a task's sandbox files; object: the task's user. */
  ACCESS_SANDBOXES("access_sandboxes", "users"),
  /** Run a command inside a running task (exec); object: the task's user. */
  LAUNCH_NESTED_CONTAINER_SESSIONS("launch_nested_container_sessions", "users"),
  /** Change the maintenance schedule; object: the machines (asked as "all"). */
  UPDATE_MAINTENANCE_SCHEDULES("update_maintenance_schedules", "machines"),
  /** Start maintenance (machines go down); object: the machines (asked as "all"). */
  START_MAINTENANCES("start_maintenances", "machines"),
  /** Stop maintenance (machines come back); object: the machines (asked as "all"). */
  STOP_MAINTENANCES("stop_maintenances", "machines"),
  /** Mark an agent gone for good; object: the agents (asked as "all"). */
  MARK_AGENTS_GONE("mark_agents_gone", "agents"),
  /** Drain an agent; object: the agents (asked as "all"). */
  DRAIN_AGENTS("drain_agents", "agents"),
  /** Deactivate an agent (no new offers); object: the agents (asked as "all"). */
  DEACTIVATE_AGENTS("deactivate_agents", "agents"),
  /** Reactivate an agent; object: the agents (asked as "all"). */
  REACTIVATE_AGENTS("reactivate_agents", "agents");

  private final String jsonName;
  private final String objectField;

  Action(String jsonName, String objectField) {
    this.jsonName = jsonName;
    this.objectField = objectField;
  }

  public String jsonName() {
    return jsonName;
  }

  public String objectField() {
    return objectField;
  }

  /** A few words for denial messages: "register frameworks". */
  public String describe() {
    return jsonName.replace('_', ' ');
  }
}
