package dev.terrace.sdk.ha;

/** ZooKeeper could not read or write the framework's state (connection lost, bad data). */
public class StateStoreException extends RuntimeException {
  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
