package dev.terrace.common.model;

/** A maintenance window: from {@code start}, for {@code duration} (open-ended when absent). */
public record Unavailability(TimeInfo start, DurationInfo duration) {}
