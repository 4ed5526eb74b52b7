package dev.terrace.master.registry;

/**
 * A registry operation failed. For a write this means its outcome is unknown (for example the
 * connection dropped after the request was sent): the master must not assume either outcome and
 * should step down, so that the next leader recovers the true state, as Mesos' master does when a
 * registry operation fails. {@link FencedException}, the subclass, is the one case where the write
 * is known not to have happened.
 */
public class RegistryException extends RuntimeException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
