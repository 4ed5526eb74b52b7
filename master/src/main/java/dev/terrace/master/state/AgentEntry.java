package dev.terrace.master.state;

import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.resources.Resources;
import java.time.Instant;

/** The master's record of one agent. */
public final class AgentEntry {
  public final AgentInfo info;
  /** The agent's resources: what it reported, with the dynamic reservations made on it applied. */
  public Resources total;
  public final Instant registeredTime;
  public final String version;
  private AgentLink link;
  /** The live tasks on this agent, keyed by framework id and task id. */
  public final java.util.Map<java.util.List<String>, TaskEntry> tasks = new java.util.LinkedHashMap<>();
  /** Timer that removes the agent if it does not come back; -1 when none is pending. */
  public long reregisterTimer = -1;

  public AgentEntry(AgentInfo info, String version, AgentLink link, Instant registeredTime) {
    this.info = info;
    this.total = Resources.of(info.resources());
    this.version = version;
    this.link = link;
    this.registeredTime = registeredTime;
  }

  public AgentLink link() {
    return link;
  }

  public void setLink(AgentLink link) {
    this.link = link;
  }

  public boolean connected() {
    return link != null;
  }
}
