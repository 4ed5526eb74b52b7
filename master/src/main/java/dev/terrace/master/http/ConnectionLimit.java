package dev.terrace.master.http;

import io.vertx.core.http.HttpConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps a server's open connections: past {@code max}, a new connection is closed at once, so a
 * flood of idle sockets cannot take every file descriptor (the master's agents, frameworks and
 * operators all need one). Runs on the server's context; counts only, no locks needed.
 */
public final class ConnectionLimit {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimit.class);
  /** Under the 20,000 open files a host commonly allows, with room for ZooKeeper and the rest. */
  public static final int DEFAULT_MAX = 15_000;

  private final int max;
  /** Written on the server's context only; volatile so others may read it. */
  private volatile int open;
  private long refused;

  public ConnectionLimit(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("a connection limit must be at least 1");
    }
    this.max = max;
  }

  public void accept(HttpConnection connection) {
    if (open >= max) {
      refused++;
      if (refused == 1 || refused % 1000 == 0) {
        LOG.warn("Refusing connection from {}: {} connections open (limit {}); {} refused so far",
            connection.remoteAddress(), open, max, refused);
      }
      connection.close();
      return;
    }
    open++;
    connection.closeHandler(v -> open--);
  }

  public int open() {
    return open;
  }
}
