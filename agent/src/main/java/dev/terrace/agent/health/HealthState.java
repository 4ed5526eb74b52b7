package dev.terrace.agent.health;

/**
 * The decision part of a health check, free of timers and I/O so that it can be tested with a
 * fake clock: fed each probe's result and the time it ended, it says what to report and when to
 * kill. Mesos semantics:
 *
 * <ul>
 *   <li>A failure while still in the grace period (measured from the start, and only until the
 *       first success: a task that was healthy once gets no more grace) is ignored altogether.
 *   <li>Every change of health is reported once: the first success, the first counted failure,
 *       and each flip after that. Repeated results of the same kind are not reported again.
 *   <li>The {@code consecutiveFailures}-th counted failure in a row asks for the kill, once.
 * </ul>
 *
 * Not thread-safe: the {@link HealthChecker} feeds it from its task's context only.
 */
public final class HealthState {

  /**
   * @param report the health to report now, or null for no update
   * @param kill true when the task must be killed for failing its checks
   * @param counted false for a failure ignored in the grace period
   */
  public record Verdict(Boolean report, boolean kill, boolean counted) {}

  private final HealthPolicy policy;
  private final long startNanos;
  private Boolean healthy;
  private boolean everHealthy;
  private int consecutiveFailures;
  private boolean killRequested;

  public HealthState(HealthPolicy policy, long startNanos) {
    this.policy = policy;
    this.startNanos = startNanos;
  }

  public Verdict success() {
    everHealthy = true;
    consecutiveFailures = 0;
    boolean changed = !Boolean.TRUE.equals(healthy);
    healthy = true;
    return new Verdict(changed ? Boolean.TRUE : null, false, true);
  }

  public Verdict failure(long nowNanos) {
    if (!everHealthy && nowNanos - startNanos <= policy.grace().toNanos()) {
      return new Verdict(null, false, false);
    }
    consecutiveFailures++;
    boolean changed = !Boolean.FALSE.equals(healthy);
    healthy = false;
    boolean kill = !killRequested && policy.consecutiveFailures() > 0
        && consecutiveFailures >= policy.consecutiveFailures();
    killRequested |= kill;
    return new Verdict(changed ? Boolean.FALSE : null, kill, true);
  }

  /** The last reported health, or null before the first report. */
  public Boolean healthy() {
    return healthy;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }
}
