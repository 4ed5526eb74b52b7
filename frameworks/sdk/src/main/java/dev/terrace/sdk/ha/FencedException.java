package dev.terrace.sdk.ha;

/**
 * A write to the {@link ZkStateStore} was refused because another instance became leader since
 * this one was elected (the epoch moved on). The instance that sees it must stop acting at once.
 */
public final class FencedException extends StateStoreException {
  public FencedException(String message) {
    super(message, null);
  }
}
