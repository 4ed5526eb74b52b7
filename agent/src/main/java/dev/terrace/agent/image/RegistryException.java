package dev.terrace.agent.image;

import java.io.IOException;

/**
 * A registry answered with an error. {@link #transientFailure()} tells whether trying again may
 * help (5xx, 429), as opposed to a missing image or refused credentials.
 */
public final class RegistryException extends IOException {
  private final int status;

  public RegistryException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public boolean transientFailure() {
    return status == 429 || status >= 500;
  }
}
