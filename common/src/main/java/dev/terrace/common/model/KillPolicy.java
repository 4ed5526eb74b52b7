package dev.terrace.common.model;

/** How long a task gets between SIGTERM and SIGKILL. */
public record KillPolicy(DurationInfo gracePeriod) {}
