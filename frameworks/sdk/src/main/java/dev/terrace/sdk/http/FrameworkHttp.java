package dev.terrace.sdk.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.sdk.ha.LeaderActor;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * REST plumbing shared by Terrace's highly available frameworks (Vert.x Web): followers redirect
 * to the leader, answers come from the leader's actor futures (never blocking an event loop), and
 * errors are JSON {@code {"error": "..."}} with the status an {@link ApiException} names.
 */
public final class FrameworkHttp {
  private FrameworkHttp() {}

  /**
   * A handler that passes requests on while {@code leading}, and otherwise answers {@code 307} to
   * the same path on the leader ({@code leaderUrl}, which may block on ZooKeeper and so runs on a
   * worker), or 503 while no other instance leads.
   */
  public static Handler<RoutingContext> leaderOnly(Vertx vertx, BooleanSupplier leading,
      Supplier<Optional<String>> leaderUrl, Supplier<String> selfUrl) {
    return ctx -> {
      if (leading.getAsBoolean()) {
        ctx.next();
        return;
      }
      vertx.executeBlocking(leaderUrl::get, false).onComplete(ar -> {
        Optional<String> leader = ar.succeeded() ? ar.result() : Optional.empty();
        if (leader.isEmpty() || leader.get().equals(selfUrl.get())) {
          error(ctx, 503, "no instance of this framework leads right now; try again shortly");
          return;
        }
        ctx.response().setStatusCode(307).putHeader("Location", leader.get() + ctx.request().uri()).end();
      });
    };
  }

  /**
   * Answers with what {@code work} makes of the leader's controller ({@code leader}, empty once
   * this instance was deposed: 503); an {@link ApiException} thrown by {@code work} itself (a bad
   * path parameter, say) is answered as if the future had failed with it.
   */
  public static <C> void answer(RoutingContext ctx, int status, Optional<C> leader,
      java.util.function.Function<C, CompletableFuture<?>> work) {
    if (leader.isEmpty()) {
      error(ctx, 503, "this instance no longer leads");
      return;
    }
    CompletableFuture<?> result;
    try {
      result = work.apply(leader.get());
    } catch (ApiException e) {
      result = CompletableFuture.failedFuture(e);
    }
    respond(ctx, status, result);
  }

  /** Answers with {@code result}'s value as JSON ({@code status}; 204 has no body) or its error. */
  public static void respond(RoutingContext ctx, int status, CompletableFuture<?> result) {
    Future.fromCompletionStage(result, ctx.vertx().getOrCreateContext()).onComplete(ar -> {
      if (ar.succeeded()) {
        if (status == 204) {
          ctx.response().setStatusCode(204).end();
        } else {
          send(ctx, status, ar.result());
        }
        return;
      }
      Throwable e = ar.cause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : ar.cause();
      if (e instanceof ApiException api) {
        error(ctx, api.status(), api.getMessage());
      } else if (e instanceof LeaderActor.NotLeaderException) {
        error(ctx, 503, e.getMessage());
      } else {
        error(ctx, 500, "internal error: " + e.getMessage());
      }
    });
  }

  public static void send(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(Buffer.buffer(Json.toBytes(body)));
  }

  public static void error(RoutingContext ctx, int status, String message) {
    ObjectNode n = Json.mapper().createObjectNode().put("error", message);
    send(ctx, status, n);
  }

  /** The request body parsed as {@code type}; a missing or bad body is an {@link ApiException} 400. */
  public static <T> T body(RoutingContext ctx, Class<T> type, String what) {
    try {
      byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
      T value = Json.parse(bytes, type);
      if (value == null) {
        throw new ApiException(400, "the body must be " + what + " in JSON");
      }
      return value;
    } catch (ApiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ApiException(400, "the body must be " + what + " in JSON: " + e.getMessage());
    }
  }
}
