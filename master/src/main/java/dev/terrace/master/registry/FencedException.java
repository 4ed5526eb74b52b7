package dev.terrace.master.registry;

/**
 * A registry write was refused because the master that opened this registry no longer leads: a
 * newer leader has opened the registry since (see {@link ZooKeeperRegistry} for how that is
 * detected). Nothing of the refused write was applied. The only correct reaction is to stop acting
 * as leader; retrying can never succeed, because a registry once fenced stays fenced.
 */
public final class FencedException extends RegistryException {
  public FencedException(String message) {
    super(message);
  }
}
