package dev.terrace.discovery;

/**
 * Where Terrace keeps its nodes under a base path. Contenders (in the master) and detectors (here)
 * must agree on these, so they live in one place.
 */
public final class LeaderPaths {
  private LeaderPaths() {}

  /** The leader latch: one ephemeral sequential child per contending master. */
  public static String leaderPath(String base) {
    return base + "/leader";
  }

  /** The durable registry written by the leader only. */
  public static String registryPath(String base) {
    return base + "/registry";
  }
}
