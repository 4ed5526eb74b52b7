package dev.terrace.master.state;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import java.util.ArrayList;
import java.util.List;

/** The master's record of one task: what was launched, where, and its states so far. */
public final class TaskEntry {
  private static final int MAX_STATUSES = 32;

  public final TaskInfo info;
  public final FrameworkId frameworkId;
  public final AgentId agentId;
  public final Resources resources;
  public final String role;
  /** The task group (its executor id) for tasks of a LAUNCH_GROUP; null for a lone task. */
  public String group;
  private TaskState state;
  private TaskStatus latestStatus;
  private final List<TaskStatus> statuses = new ArrayList<>();
  /** This task's /master/state JSON while it has not changed (see StateJson.render). */
  private String stateJson;
  /** This task's v1 operator API JSON ({@code Task}) while it has not changed. */
  private String v1Json;

  public TaskEntry(TaskInfo info, FrameworkId frameworkId, AgentId agentId, String role,
      TaskState state) {
    this.info = info;
    this.frameworkId = frameworkId;
    this.agentId = agentId;
    this.resources = Resources.of(info.resources());
    this.role = role;
    this.state = state;
  }

  public TaskState state() {
    return state;
  }

  public TaskStatus latestStatus() {
    return latestStatus;
  }

  public List<TaskStatus> statuses() {
    return statuses;
  }

  /** The task's cached /master/state JSON, or null when it changed since it was last rendered. */
  public String stateJson() {
    return stateJson;
  }

  public void cacheStateJson(String json) {
    this.stateJson = json;
  }

  public String v1Json() {
    return v1Json;
  }

  public void cacheV1Json(String json) {
    this.v1Json = json;
  }

  /** Records a status the agent or master reported; {@code latest} is the newest known state. */
  public void update(TaskStatus status, TaskState latest) {
    stateJson = null;
    v1Json = null;
    if (statuses.stream().noneMatch(s -> s.uuid() != null && s.uuid().equals(status.uuid()))) {
      if (statuses.size() == MAX_STATUSES) {
        statuses.remove(1); // keep the first (STAGING) for history
      }
      statuses.add(status);
    }
    if (latestStatus == null || status.state() == latest) {
      latestStatus = status;
    }
    state = latest;
  }

  public boolean isTerminal() {
    return state.isTerminal();
  }
}
