package dev.terrace.master.registry;

import dev.terrace.common.model.FrameworkId;
import java.time.Instant;
import java.util.Objects;

/** A framework that was torn down; its id may never subscribe again. */
public record CompletedFramework(FrameworkId frameworkId, Instant completedAt) {
  public CompletedFramework {
    Objects.requireNonNull(frameworkId, "frameworkId");
    Objects.requireNonNull(completedAt, "completedAt");
  }
}
