package dev.terrace.services.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import dev.terrace.sdk.http.ApiException;
import dev.terrace.sdk.http.FrameworkHttp;
import dev.terrace.sdk.http.HaInstance;
import dev.terrace.services.ServicesFramework;
import dev.terrace.services.scheduling.ServiceView;
import dev.terrace.services.scheduling.ServicesController;
import dev.terrace.services.spec.ServiceSpec;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The services REST API (JSON, snake_case) and UI:
 *
 * <pre>
 * GET    /v1/services                     summaries
 * PUT    /v1/services/NAME                deploy (create, or roll out a changed spec as a new version)
 * GET    /v1/services/NAME                the service, its instances and health, why instances are missing
 * GET    /v1/services/NAME/endpoints      host:port of each healthy instance
 * POST   /v1/services/NAME/scale          {"instances": N}
 * POST   /v1/services/NAME/restart        roll every instance
 * POST   /v1/services/NAME/rollback       roll back to the previous spec
 * DELETE /v1/services/NAME                kill every instance and forget the service
 * GET    /v1/info                         which instance leads, the framework id and master
 * </pre>
 */
public final class ServicesApi {
  private final HaInstance<ServicesController> instance;
  private final ServicesFramework framework;

  public ServicesApi(HaInstance<ServicesController> instance, ServicesFramework framework) {
    this.instance = instance;
    this.framework = framework;
  }

  public Router router() {
    Router r = Router.router(instance.vertx());
    r.route().handler(BodyHandler.create().setBodyLimit(1 << 20));
    var leaderOnly = FrameworkHttp.leaderOnly(instance.vertx(), instance::isLeader, instance::leaderUrl,
        instance::url);
    r.route("/v1/*").handler(leaderOnly);
    r.route("/ui/*").handler(leaderOnly);
    r.get("/v1/info").handler(this::info);
    r.get("/v1/services").handler(ctx -> answer(ctx, 200, c -> c.list()
        .thenApply(l -> l.stream().map(ServiceView::summary).toList())));
    r.put("/v1/services/:name").handler(ctx -> answer(ctx, 200, c -> {
      ServiceSpec spec = FrameworkHttp.body(ctx, ServiceSpec.class, "a service spec");
      if (spec.name() != null && !spec.name().equals(name(ctx))) {
        throw new ApiException(400, "the body's name must be absent or match the path");
      }
      return c.deploy(spec.withName(name(ctx)));
    }));
    r.get("/v1/services/:name").handler(ctx -> answer(ctx, 200, c -> c.show(name(ctx))));
    r.get("/v1/services/:name/endpoints").handler(ctx -> answer(ctx, 200, c -> c.endpoints(name(ctx))));
    r.post("/v1/services/:name/scale").handler(ctx -> answer(ctx, 200, c -> {
      JsonNode body = FrameworkHttp.body(ctx, JsonNode.class, "{\"instances\": N}");
      if (!body.path("instances").isInt()) {
        throw new ApiException(400, "the body must be {\"instances\": N}");
      }
      return c.scale(name(ctx), body.path("instances").asInt());
    }));
    r.post("/v1/services/:name/restart").handler(ctx -> answer(ctx, 200, c -> c.restart(name(ctx))));
    r.post("/v1/services/:name/rollback").handler(ctx -> answer(ctx, 200, c -> c.rollback(name(ctx))));
    r.delete("/v1/services/:name").handler(ctx -> answer(ctx, 204, c -> c.delete(name(ctx))));
    r.route("/ui/common/*").handler(StaticHandler.create("framework-ui").setCachingEnabled(false));
    r.route("/ui/*").handler(StaticHandler.create("services-ui").setCachingEnabled(false));
    r.get("/").handler(ctx -> ctx.redirect("/ui/index.html"));
    return r;
  }

  private void info(RoutingContext ctx) {
    ObjectNode n = Json.mapper().createObjectNode();
    n.put("leader", instance.url());
    framework.controller().flatMap(ServicesController::frameworkId).ifPresent(id -> n.put("framework_id", id.value()));
    framework.controller().flatMap(ServicesController::masterInfo).ifPresent(m -> n.put("master_url", m.baseUrl()));
    FrameworkHttp.send(ctx, 200, n);
  }

  private void answer(RoutingContext ctx, int status, Function<ServicesController, CompletableFuture<?>> work) {
    FrameworkHttp.answer(ctx, status, framework.controller(), work);
  }

  private static String name(RoutingContext ctx) {
    return ctx.pathParam("name");
  }
}
