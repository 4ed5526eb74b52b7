package dev.terrace.discovery;

import dev.terrace.common.model.MasterInfo;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Finds the leading master. Agents, the SDK and the CLI use it; a {@code zk://} URL gives a
 * ZooKeeper-backed detector that follows elections, an {@code http://host:port} URL a standalone one
 * that always names that master.
 *
 * <p>Contract: listeners run on a detector thread (never an event loop of the caller) and must not
 * block; they are called once with the current state on registration and then on every change,
 * with {@code Optional.empty()} while no master leads.
 */
public interface MasterDetector extends AutoCloseable {

  /** The leader as last seen, if any. */
  Optional<MasterInfo> leader();

  /** Completes with the leader as soon as one is known (at once if one is known now). */
  CompletableFuture<MasterInfo> awaitLeader();

  /** Registers {@code listener} for leader changes; see the class contract. */
  void addListener(Consumer<Optional<MasterInfo>> listener);

  @Override
  void close();

  /**
   * A detector for {@code url}: {@code zk://host:port[,host:port]/path} or {@code http://host:port}.
   *
   * @throws IllegalArgumentException for any other form, with a message saying what is accepted
   */
  static MasterDetector forUrl(String url) {
    return MasterDetectors.forUrl(url);
  }
}
