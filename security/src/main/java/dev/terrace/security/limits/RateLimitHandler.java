package dev.terrace.security.limits;

import dev.terrace.security.authn.AuthenticationHandler;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests per second per caller (its authenticated principal, else its address), as Mesos'
 * {@code --rate_limits} for frameworks: past the rate a request gets {@code 429 Too Many
 * Requests} with {@code Retry-After} and does nothing. Runs on one context (the server's), so
 * the map needs no lock; full buckets are dropped, so idle callers cost nothing.
 */
public final class RateLimitHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimitHandler.class);
  /** Past this many callers tracked at once, full buckets are swept before adding one. */
  private static final int SWEEP_AT = 10_000;

  private final double qps;
  private final double burst;
  private final LongSupplier nanoClock;
  private final Map<String, TokenBucket> buckets = new HashMap<>();

  public RateLimitHandler(double qps, double burst) {
    this(qps, burst, System::nanoTime);
  }

  RateLimitHandler(double qps, double burst, LongSupplier nanoClock) {
    this.qps = qps;
    this.burst = burst;
    this.nanoClock = nanoClock;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String principal = AuthenticationHandler.principal(ctx);
    String key = principal != null ? "principal:" + principal
        : "address:" + (ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress());
    long now = nanoClock.getAsLong();
    if (buckets.size() >= SWEEP_AT && !buckets.containsKey(key)) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    TokenBucket bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(qps, burst, now));
    if (bucket.tryTake(now)) {
      ctx.next();
      return;
    }
    LOG.debug("429 for {} on {}", key, ctx.request().path());
    ctx.response().setStatusCode(429)
        .putHeader("Retry-After", Long.toString(bucket.secondsUntilNext(now)))
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end("Too many requests from " + key + ": at most " + qps + " per second (burst " + (long) burst + ")");
  }
}
