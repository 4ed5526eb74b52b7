package dev.terrace.agent.health;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * One kind of health probe. {@link #run} must not block the calling event loop: it uses Vert.x's
 * async clients or the worker pool. Its future succeeds when the task is healthy and fails with a
 * message saying why it is not. The {@link HealthChecker} enforces the timeout as well, so a
 * probe only has to make a best effort to stop its own work once {@code timeout} has passed.
 */
public interface Probe {

  Future<Void> run(Duration timeout);

  /** What is probed, for messages: "HTTP GET http://127.0.0.1:8080/health". */
  String describe();

  /** Releases clients the probe holds; called once the checks stop. */
  default void close() {}
}
