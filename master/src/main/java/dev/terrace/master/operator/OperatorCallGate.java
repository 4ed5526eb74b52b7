package dev.terrace.master.operator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.master.Master;
import io.vertx.ext.web.RoutingContext;

/** Decides, once a v1 operator call is parsed and before it acts, whether it may proceed. */
@FunctionalInterface
public interface OperatorCallGate {
  OperatorCallGate OPEN = (ctx, call, master) -> null;

  /** @return null to let the call through, else the reason it is refused (a 403) */
  String refuse(RoutingContext ctx, JsonNode call, Master master);
}
