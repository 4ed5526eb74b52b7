package dev.terrace.security.limits;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Caps the requests of a route that are open at once, which for a streaming endpoint (a scheduler
 * or operator SUBSCRIBE) is its number of subscribers: past {@code max}, {@code 429} with a
 * reason, and the request does nothing. A request counts until its response ends or its
 * connection closes. Runs on the server's context.
 */
public final class InFlightLimit implements Handler<RoutingContext> {
  private final String what;
  private final int max;
  private volatile int open;

  /** @param what names the endpoint in the refusal ("scheduler API streams and calls") */
  public InFlightLimit(String what, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("a limit must be at least 1");
    }
    this.what = what;
    this.max = max;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (open >= max) {
      ctx.response().setStatusCode(429).putHeader("Retry-After", "5")
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end("Too many open " + what + " (at most " + max + "); retry later");
      return;
    }
    open++;
    boolean[] released = new boolean[1];
    Runnable release = () -> {
      if (!released[0]) {
        released[0] = true;
        open--;
      }
    };
    ctx.addEndHandler(v -> release.run());
    ctx.response().closeHandler(v -> release.run());
    ctx.next();
  }

  public int open() {
    return open;
  }
}
