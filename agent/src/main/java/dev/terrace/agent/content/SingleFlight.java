package dev.terrace.agent.content;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Makes a file or directory at most once at a time per key: the first caller makes it, callers
 * that ask meanwhile wait for and share that result (or its failure). Two tasks pulling the same
 * image therefore download each blob once and unpack each layer once.
 */
public final class SingleFlight<K> {
  /** Makes {@code target}; may throw. */
  public interface Maker {
    void make() throws IOException;
  }

  private final Map<K, CompletableFuture<Path>> inFlight = new ConcurrentHashMap<>();

  /**
   * Returns {@code target}, made by {@code maker} unless {@code present} says it already exists
   * (checked again once this caller owns the key: another may have finished in between).
   */
  public Path get(K key, Path target, Predicate<Path> present, Maker maker) throws IOException {
    if (present.test(target)) {
      return target;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    CompletableFuture<Path> existing = inFlight.putIfAbsent(key, mine);
    if (existing != null) {
      return await(existing);
    }
    try {
      if (!present.test(target)) {
        maker.make();
      }
      mine.complete(target);
      return target;
    } catch (IOException | RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private static Path await(CompletableFuture<Path> shared) throws IOException {
    try {
      return shared.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted waiting for a shared download or unpack");
    }
  }
}
