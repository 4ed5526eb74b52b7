package dev.terrace.agent.fetcher;

import java.io.IOException;

/** A URI of a task could not be fetched into its sandbox; the message names the URI and why. */
public final class FetchException extends IOException {
  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
