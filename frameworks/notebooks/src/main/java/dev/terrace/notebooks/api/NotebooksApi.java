package dev.terrace.notebooks.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.notebooks.scheduling.NotebooksController;
import dev.terrace.sdk.http.ApiException;
import dev.terrace.sdk.http.FrameworkHttp;
import dev.terrace.sdk.http.HaInstance;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The notebooks REST API (JSON, snake_case):
 *
 * <pre>
 * GET    /v1/notebooks          every notebook, without tokens
 * POST   /v1/notebooks/USER     start USER's server (created with a new token the first time)
 * GET    /v1/notebooks/USER     USER's notebook with its URL and token
 * DELETE /v1/notebooks/USER     stop USER's server (its files stay for the next start)
 * GET    /v1/info               which instance leads, the framework id and master
 * </pre>
 *
 * User names are Unix-style ({@value #USER}); others are refused with 400 before anything changes.
 */
public final class NotebooksApi {
  static final String USER = "[a-z_][a-z0-9_-]{0,31}";
  private static final Pattern USER_NAME = Pattern.compile(USER);

  private final HaInstance<NotebooksController> instance;
  private final Supplier<Optional<NotebooksController>> controller;

  public NotebooksApi(HaInstance<NotebooksController> instance, Supplier<Optional<NotebooksController>> controller) {
    this.instance = instance;
    this.controller = controller;
  }

  public Router router() {
    Router r = Router.router(instance.vertx());
    r.route("/v1/*").handler(FrameworkHttp.leaderOnly(instance.vertx(), instance::isLeader, instance::leaderUrl,
        instance::url));
    r.get("/v1/info").handler(this::info);
    r.get("/v1/notebooks").handler(ctx -> answer(ctx, 200, NotebooksController::list));
    r.post("/v1/notebooks/:user").handler(ctx -> answer(ctx, 200, c -> c.start(user(ctx))));
    r.get("/v1/notebooks/:user").handler(ctx -> answer(ctx, 200, c -> c.show(user(ctx))));
    r.delete("/v1/notebooks/:user").handler(ctx -> answer(ctx, 200, c -> c.stop(user(ctx))));
    return r;
  }

  private void info(RoutingContext ctx) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("leader", instance.url());
    controller.get().flatMap(c -> c.session().frameworkId()).ifPresent(id -> n.put("framework_id", id.value()));
    controller.get().flatMap(c -> c.session().masterInfo()).ifPresent(m -> n.put("master_url", m.baseUrl()));
    FrameworkHttp.send(ctx, 200, n);
  }

  private void answer(RoutingContext ctx, int status, Function<NotebooksController, CompletableFuture<?>> work) {
    FrameworkHttp.answer(ctx, status, controller.get(), work);
  }

  private static String user(RoutingContext ctx) {
    String user = ctx.pathParam("user");
    if (!USER_NAME.matcher(user).matches()) {
      throw new ApiException(400, "bad user name '" + user + "': expected " + USER);
    }
    return user;
  }
}
