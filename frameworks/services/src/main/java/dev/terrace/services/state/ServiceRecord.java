package dev.terrace.services.state;

import dev.terrace.services.spec.ServiceSpec;

/**
 * A service as stored: the spec it runs now ({@code version}, bumped by every deploy, restart and
 * rollback), the one before (what a rollback goes back to), the counter that names new instances,
 * and the backoff after failures: {@code failures} in a row, no new launch before
 * {@code delayUntil} (epoch ms).
 */
public record ServiceRecord(ServiceSpec spec, int version, ServiceSpec previous, int nextInstance, int failures,
    Long delayUntil, long createdAt) {

  public ServiceRecord deploy(ServiceSpec newSpec) {
    return new ServiceRecord(newSpec, version + 1, spec, nextInstance, 0, null, createdAt);
  }

  public ServiceRecord scale(int instances) {
    return new ServiceRecord(spec.withInstances(instances), version, previous, nextInstance, failures, delayUntil,
        createdAt);
  }

  public ServiceRecord instanceNamed() {
    return new ServiceRecord(spec, version, previous, nextInstance + 1, failures, delayUntil, createdAt);
  }

  /** One more failure in a row: new launches wait {@code backoff * 2^(failures-1)}, at most 5 min. */
  public ServiceRecord failed(long now) {
    int f = failures + 1;
    long delay = (long) Math.min(300_000, spec.backoffSeconds() * 1000 * Math.pow(2, f - 1));
    return new ServiceRecord(spec, version, previous, nextInstance, f, now + delay, createdAt);
  }

  public ServiceRecord healthy() {
    return failures == 0 && delayUntil == null ? this
        : new ServiceRecord(spec, version, previous, nextInstance, 0, null, createdAt);
  }
}
