package dev.terrace.master.http;

import dev.terrace.master.Master;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.function.Supplier;

/** What the master's proxies to agents share: their HTTP client and how an agent's answer is relayed. */
final class AgentReplies {
  private AgentReplies() {}

  /** A slow or dead agent must not hold the operator's request (and a connection) for long. */
  static WebClient client(Vertx vertx) {
    return WebClient.create(vertx, new WebClientOptions().setConnectTimeout(3000)
        .setIdleTimeout(10).setUserAgent("terrace-master"));
  }

  /** The leading master, or null after answering 503 (this master does not lead now). */
  static Master leading(RoutingContext ctx, Supplier<Master> master) {
    Master m = master.get();
    if (m == null) {
      ctx.response().setStatusCode(503).end("Not leading");
    }
    return m;
  }

  /** The agent's answer as is (JSON when 200, text otherwise), or 502 when it could not be asked. */
  static void relay(RoutingContext ctx, AsyncResult<HttpResponse<Buffer>> ar) {
    if (ar.failed()) {
      ctx.response().setStatusCode(502).end("Agent unreachable: " + ar.cause().getMessage());
      return;
    }
    var r = ar.result();
    ctx.response().setStatusCode(r.statusCode())
        .putHeader("Content-Type", r.statusCode() == 200 ? "application/json" : "text/plain")
        .end(r.bodyAsBuffer() == null ? Buffer.buffer() : r.bodyAsBuffer());
  }
}
