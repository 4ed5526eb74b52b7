package dev.terrace.agent.network;

/** A CNI plugin failed, a network is unknown or misconfigured, or a namespace cannot be made. */
public final class CniException extends Exception {
  public CniException(String message) {
    super(message);
  }

  public CniException(String message, Throwable cause) {
    super(message, cause);
  }
}
