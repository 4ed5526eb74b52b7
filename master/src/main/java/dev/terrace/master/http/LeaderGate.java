package dev.terrace.master.http;

import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.MasterDetector;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * In front of every route: the leader serves; a standby answers {@code 307 Temporary Redirect} to
 * the leader with the same path and query ({@code Location: //host:port/path?query}, as Mesos
 * does), or 503 when it knows no leader. {@code /health}, {@code /master/redirect} and the
 * metrics endpoints ({@code /metrics/snapshot}, {@code /metrics}) are answered by every master.
 */
public final class LeaderGate {
  /** Answered by every master; the redirect endpoints name the leader themselves. */
  private static final Set<String> ANY_MASTER =
      Set.of("/health", "/master/health", "/version", "/master/redirect", "/redirect",
          "/metrics/snapshot", "/metrics");

  private final BooleanSupplier leading;
  private final BooleanSupplier recovering;
  private final MasterDetector detector;
  private final MasterInfo self;

  public LeaderGate(BooleanSupplier leading, BooleanSupplier recovering, MasterDetector detector,
      MasterInfo self) {
    this.leading = leading;
    this.recovering = recovering;
    this.detector = detector;
    this.self = self;
  }

  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if (ANY_MASTER.contains(path) || leading.getAsBoolean()) {
      ctx.next();
      return;
    }
    if (recovering.getAsBoolean()) {
      ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
          .end("Master is recovering its state after its election; retry shortly");
      return;
    }
    Optional<MasterInfo> leader = detector == null ? Optional.empty() : detector.leader();
    if (leader.isEmpty() || leader.get().id().equals(self.id())) {
      ctx.response().setStatusCode(503).putHeader("Content-Type", "text/plain")
          .end("No leading master is known; retry shortly");
      return;
    }
    ctx.response().setStatusCode(307)
        .putHeader("Location", "//" + hostPort(leader.get()) + ctx.request().uri())
        .end();
  }

  /** {@code /master/redirect}: 307 to the leader's base URL (this master if it leads). */
  public void redirect(RoutingContext ctx) {
    MasterInfo target = leading.getAsBoolean() ? self
        : detector == null ? null : detector.leader().orElse(null);
    if (target == null) {
      ctx.response().setStatusCode(503).end("No leading master is known");
      return;
    }
    ctx.response().setStatusCode(307).putHeader("Location", "//" + hostPort(target)).end();
  }

  static String hostPort(MasterInfo m) {
    String host = m.address() != null && m.address().hostname() != null ? m.address().hostname() : m.hostname();
    return host + ":" + m.port();
  }
}
