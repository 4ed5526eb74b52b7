package dev.terrace.agent.executor;

import dev.terrace.common.executor.ExecutorCall;
import dev.terrace.common.json.Json;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.FrameworkId;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.BiFunction;

/**
 * The Mesos v1 executor API on the agent ({@code POST /api/v1/executor}, JSON): SUBSCRIBE answers
 * a RecordIO stream of events; UPDATE, MESSAGE and HEARTBEAT answer 202. A call for an executor
 * this agent does not run is a 400, as a malformed one; other content types are a 415. With
 * executor authentication on, a call must carry {@code Authorization: Bearer <token>} with the
 * token the agent gave that executor ({@link ExecutorTokens}): none or a forged one is a 401, the
 * token of another executor (or of an earlier container of the same one) a 403.
 */
public final class ExecutorApi {
  private static final int MAX_BODY_BYTES = 4 << 20;
  private final BiFunction<FrameworkId, ExecutorId, ExecutorRunner> executors;
  private final ExecutorTokens tokens;

  /** @param tokens the tokens to require, or null to let any local caller speak as an executor */
  public ExecutorApi(BiFunction<FrameworkId, ExecutorId, ExecutorRunner> executors,
      ExecutorTokens tokens) {
    this.executors = executors;
    this.tokens = tokens;
  }

  public void mount(Router router) {
    router.post("/api/v1/executor").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::handle);
  }

  private void handle(RoutingContext ctx) {
    HttpServerResponse resp = ctx.response();
    String type = ctx.request().getHeader("Content-Type");
    if (type == null || !type.split(";")[0].trim().equalsIgnoreCase("application/json")) {
      error(resp, 415, "Expecting 'Content-Type' of application/json");
      return;
    }
    ExecutorCall call;
    try {
      call = Json.parse(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes(),
          ExecutorCall.class);
    } catch (WireFormatException e) {
      error(resp, 400, "Failed to parse body into executor Call: " + e.getMessage());
      return;
    }
    if (call.frameworkId() == null || call.executorId() == null || call.type() == null) {
      error(resp, 400, "Expecting 'framework_id', 'executor_id' and 'type' to be present");
      return;
    }
    ExecutorRunner runner = executors.apply(call.frameworkId(), call.executorId());
    if (tokens != null && !authorized(ctx, call, runner)) {
      return;
    }
    if (runner == null || runner.isDone()) {
      error(resp, 400, "Executor " + call.executorId().value() + " of framework "
          + call.frameworkId().value() + " is not running on this agent");
      return;
    }
    switch (call.type()) {
      case SUBSCRIBE -> runner.subscribe(resp, call.subscribe());
      case UPDATE -> {
        String problem = call.update() == null ? "Expecting 'update' to be present"
            : runner.update(call.update().status());
        if (problem != null) {
          error(resp, 400, problem);
        } else {
          resp.setStatusCode(202).end();
        }
      }
      case MESSAGE -> {
        if (call.message() == null || call.message().data() == null) {
          error(resp, 400, "Expecting 'message.data' to be present");
          return;
        }
        runner.messageFromExecutor(call.message().data());
        resp.setStatusCode(202).end();
      }
      case HEARTBEAT -> resp.setStatusCode(202).end();
      default -> error(resp, 400, "Unknown executor call type");
    }
  }

  /** Checks the bearer token against the call's executor; answers 401 or 403 when it fails. */
  private boolean authorized(RoutingContext ctx, ExecutorCall call, ExecutorRunner runner) {
    String header = ctx.request().getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim() : null;
    var claims = tokens.verify(token);
    if (claims.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"terrace-agent-executor\"");
      error(ctx.response(), 401, token == null
          ? "Executor calls need 'Authorization: Bearer $" + ExecutorTokens.ENV + "'"
          : "Invalid executor token");
      return false;
    }
    ExecutorTokens.Claims c = claims.get();
    if (!c.frameworkId().equals(call.frameworkId()) || !c.executorId().equals(call.executorId())
        || (runner != null && !c.containerId().equals(runner.containerId()))) {
      error(ctx.response(), 403, "The token of executor " + c.executorId().value()
          + " of framework " + c.frameworkId().value() + " in container " + c.containerId()
          + " cannot act for executor " + call.executorId().value() + " of framework "
          + call.frameworkId().value());
      return false;
    }
    return true;
  }

  private static void error(HttpServerResponse resp, int status, String message) {
    resp.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(message);
  }
}
