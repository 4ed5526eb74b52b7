package dev.terrace.master;

import dev.terrace.master.registry.FencedException;
import dev.terrace.master.registry.Registry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's way to the registry: each write runs on the registry's own threads and its outcome
 * comes back on the master context. A failed write ends the term: a {@link FencedException} means
 * a newer leader exists; any other failure leaves the outcome unknown, and a leader that cannot
 * trust its durable state must not go on acting (Mesos' registrar aborts the same way).
 */
final class RegistryWrites {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryWrites.class);

  private final Registry registry;
  private final Context context;
  private final Consumer<Throwable> onFailure;
  private boolean failed;

  RegistryWrites(Registry registry, Context context, Consumer<Throwable> onFailure) {
    this.registry = registry;
    this.context = context;
    this.onFailure = onFailure;
  }

  /** Writes and returns a future completed on the master context once the write is durable. */
  Future<Void> write(Function<Registry, CompletionStage<Void>> op) {
    CompletionStage<Void> stage;
    try {
      stage = op.apply(registry);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.fromCompletionStage(stage, context).onFailure(this::fail);
  }

  private void fail(Throwable e) {
    if (failed) {
      return;
    }
    failed = true;
    Throwable cause = e.getCause() != null && !(e instanceof FencedException) ? e.getCause() : e;
    LOG.error("Registry write failed; this master stops leading: {}", cause.toString());
    onFailure.accept(cause);
  }
}
