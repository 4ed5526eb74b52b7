package dev.terrace.master.auth;

/**
 * Caps on the master's APIs: requests per second per caller (principal, else address) on the
 * scheduler and operator APIs (0: no limit, the default, as Mesos without {@code --rate_limits}),
 * and how many scheduler and operator requests may be open at once (SUBSCRIBE streams count
 * until they end).
 */
public record RequestLimits(double qpsPerCaller, double burst, int maxOpenSchedulerRequests,
    int maxOpenOperatorRequests) {

  public RequestLimits {
    if (qpsPerCaller < 0 || Double.isNaN(qpsPerCaller)) {
      throw new IllegalArgumentException("a rate limit must be 0 (none) or positive");
    }
    if (qpsPerCaller > 0 && burst < 1) {
      throw new IllegalArgumentException("a rate limit's burst must be at least 1");
    }
    if (maxOpenSchedulerRequests < 1 || maxOpenOperatorRequests < 1) {
      throw new IllegalArgumentException("open request caps must be at least 1");
    }
  }

  /** No rate limit; 10,000 open scheduler requests (frameworks' streams and calls), 1,000 operator ones. */
  public static RequestLimits defaults() {
    return new RequestLimits(0, 1, 10_000, 1_000);
  }
}
