package dev.terrace.agent.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes a future with a container's exit code once its monitor writes {@code <exitDir>/<id>}.
 * One thread blocks on an inotify {@link WatchService}; it also rescans pending ids every second
 * so that an overflowed event queue or a file written before the watch began cannot lose an exit.
 */
public final class ExitWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);

  private final Path exitDir;
  private final WatchService watch;
  private final Map<String, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean closed;

  public ExitWatcher(Path exitDir) throws IOException {
    this.exitDir = Files.createDirectories(exitDir);
    this.watch = FileSystems.getDefault().newWatchService();
    exitDir.register(watch, StandardWatchEventKinds.ENTRY_CREATE,
        StandardWatchEventKinds.ENTRY_MODIFY);
    this.thread = new Thread(this::loop, "terrace-exit-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  public Path exitDir() {
    return exitDir;
  }

  /** The exit code of {@code id}; registering before the container starts loses nothing. */
  public CompletableFuture<Integer> watch(String id) {
    CompletableFuture<Integer> f = pending.computeIfAbsent(id, k -> new CompletableFuture<>());
    check(id);
    return f;
  }

  /** Stops watching {@code id} and removes its exit file. */
  public void forget(String id) {
    pending.remove(id);
    try {
      Files.deleteIfExists(exitDir.resolve(id));
    } catch (IOException e) {
      LOG.warn("Cannot remove exit file of {}", id, e);
    }
  }

  private void loop() {
    while (!closed) {
      try {
        WatchKey key = watch.poll(1, TimeUnit.SECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
        pending.keySet().forEach(this::check);
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("Exit watcher error", e);
      }
    }
  }

  private void check(String id) {
    Path file = exitDir.resolve(id);
    if (!Files.exists(file)) {
      return;
    }
    try {
      // Monitors write the file atomically (temp file + rename), so a present file is complete;
      // an empty one is retried on the next event or rescan.
      String s = Files.readString(file).strip();
      if (s.isEmpty()) {
        return;
      }
      CompletableFuture<Integer> f = pending.remove(id);
      if (f != null) {
        f.complete(Integer.parseInt(s));
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warn("Unreadable exit file {}", file, e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      watch.close();
    } catch (IOException e) {
      LOG.debug("closing watch service", e);
    }
    thread.interrupt();
  }
}
