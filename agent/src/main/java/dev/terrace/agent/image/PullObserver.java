package dev.terrace.agent.image;

/** What the agent's metrics hear of image pulls; called from pull threads, must not block. */
public interface PullObserver {
  PullObserver NONE = new PullObserver() {};

  /** Layer bytes received from a registry. */
  default void bytesDownloaded(long bytes) {}

  /** A pull from a registry ended, with how long it took. */
  default void pulled(boolean success, long nanos) {}

  /** An image's layers were unpacked (or found unpacked). */
  default void unpacked(long nanos) {}

  /** An image was taken from an archive import. */
  default void imported(int images) {}
}
