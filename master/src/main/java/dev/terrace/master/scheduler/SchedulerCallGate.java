package dev.terrace.master.scheduler;

import dev.terrace.common.scheduler.Call;
import dev.terrace.master.state.FrameworkEntry;
import io.vertx.ext.web.RoutingContext;

/** Decides, after a scheduler call is parsed and valid and before it acts, whether it may proceed. */
@FunctionalInterface
public interface SchedulerCallGate {
  SchedulerCallGate OPEN = (ctx, call, framework) -> null;

  /**
   * @param framework the subscribed framework the call is for; null for SUBSCRIBE
   * @return null to let the call through, else the reason it is refused (a 403)
   */
  String refuse(RoutingContext ctx, Call call, FrameworkEntry framework);
}
