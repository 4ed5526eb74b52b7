package dev.terrace.master.registry;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * A framework the master knows, as kept across failovers: its info (which carries the id and the
 * failover timeout), when it first registered, and when the master last heard from it, so that a
 * new leader can tear it down once {@code lastSeen + failover_timeout} has passed.
 */
public record FrameworkRecord(FrameworkInfo info, Instant registeredTime, Instant lastSeen) {
  public FrameworkRecord {
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(info.id(), "framework info has no id");
    Objects.requireNonNull(registeredTime, "registeredTime");
    Objects.requireNonNull(lastSeen, "lastSeen");
  }

  public FrameworkId frameworkId() {
    return info.id();
  }

  public FrameworkRecord seenAt(Instant when) {
    return new FrameworkRecord(info, registeredTime, when);
  }
}
