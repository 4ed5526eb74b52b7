package dev.terrace.common.model;

/** Mesos `Filters`: how long declined resources stay away from the framework (default 5 s). */
public record Filters(Double refuseSeconds) {
  public static final double DEFAULT_REFUSE_SECONDS = 5.0;

  public double refuseSecondsOrDefault() {
    return refuseSeconds == null ? DEFAULT_REFUSE_SECONDS : refuseSeconds;
  }
}
