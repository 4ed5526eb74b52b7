package dev.terrace.security.authn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A credentials file that follows its changes: a daemon thread (never an event loop: this reads
 * a file) checks the file's modification time and size every {@code period} and re-reads it when
 * either changed. A file that no longer parses leaves the last good credentials in force and is
 * logged, so a half-written edit never locks everyone out or lets everyone in. The first read
 * must succeed: a process does not start with credentials it cannot read.
 */
public final class CredentialsFile implements Supplier<Credentials>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CredentialsFile.class);

  private final Path path;
  private final ScheduledExecutorService poller;
  private volatile Credentials current;
  private FileTime lastModified;
  private long lastSize;

  private CredentialsFile(Path path, Credentials first, FileTime modified, long size) {
    this.path = path;
    this.current = first;
    this.lastModified = modified;
    this.lastSize = size;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "credentials-reload");
      t.setDaemon(true);
      return t;
    });
  }

  /** Reads the file now (failing with the reason if it cannot) and polls it every {@code period}. */
  public static CredentialsFile watch(Path path, java.time.Duration period) throws IOException {
    FileTime modified = Files.getLastModifiedTime(path);
    long size = Files.size(path);
    Credentials first;
    try {
      first = Credentials.parse(Files.readAllBytes(path));
    } catch (IllegalArgumentException e) {
      throw new IOException("Cannot use credentials file " + path + ": " + e.getMessage(), e);
    }
    CredentialsFile file = new CredentialsFile(path, first, modified, size);
    long ms = period.toMillis();
    file.poller.scheduleWithFixedDelay(file::reloadIfChanged, ms, ms, TimeUnit.MILLISECONDS);
    LOG.info("Loaded {} credential(s) from {}", first.principals().size(), path);
    return file;
  }

  @Override
  public Credentials get() {
    return current;
  }

  public Path path() {
    return path;
  }

  private void reloadIfChanged() {
    try {
      FileTime modified = Files.getLastModifiedTime(path);
      long size = Files.size(path);
      if (modified.equals(lastModified) && size == lastSize) {
        return;
      }
      lastModified = modified;
      lastSize = size;
      current = Credentials.parse(Files.readAllBytes(path));
      LOG.info("Reloaded {} credential(s) from {}", current.principals().size(), path);
    } catch (IOException | IllegalArgumentException e) {
      LOG.error("Keeping the previous credentials: cannot reload {}: {}", path, e.getMessage());
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
