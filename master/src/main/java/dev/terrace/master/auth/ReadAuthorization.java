package dev.terrace.master.auth;

import dev.terrace.master.Master;
import dev.terrace.security.authn.AuthenticationHandler;
import dev.terrace.security.authz.Action;
import dev.terrace.security.authz.Authorizer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * ACLs for the master's GET views, in front of their routes: the state and framework views need
 * {@code view_frameworks}, the task views {@code view_tasks} (both asked about all objects at once:
 * a view is shown whole or refused, not filtered), and {@code /master/task-log} and
 * {@code /master/sandbox/*} need {@code access_sandboxes} for the task's user. A denial is a 403 with the reason.
 */
public final class ReadAuthorization implements Handler<RoutingContext> {
  private final Authorizer authorizer;
  private final Supplier<Master> master;

  public ReadAuthorization(Authorizer authorizer, Supplier<Master> master) {
    this.authorizer = authorizer;
    this.master = master;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String principal = AuthenticationHandler.principal(ctx);
    String reason = switch (ctx.normalizedPath()) {
      case "/master/state", "/state", "/master/state.json", "/state.json" ->
          deny(principal, Action.VIEW_FRAMEWORKS, null, Action.VIEW_TASKS);
      case "/master/state-summary", "/master/frameworks", "/master/roles" ->
          deny(principal, Action.VIEW_FRAMEWORKS, null, null);
      case "/master/tasks" -> deny(principal, Action.VIEW_TASKS, null, null);
      case "/master/task-log", "/master/sandbox/browse", "/master/sandbox/read",
          "/master/sandbox/download" -> sandbox(principal, ctx.queryParams().get("task_id"));
      default -> null;
    };
    if (reason == null) {
      ctx.next();
    } else {
      ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8").end(reason);
    }
  }

  private String deny(String principal, Action action, String object, Action also) {
    String d = authorizer.deny(principal, action, object).orElse(null);
    return d != null || also == null ? d : authorizer.deny(principal, also, object).orElse(null);
  }

  /** An unknown task is left to the proxy's own 404; a known one needs its user's sandbox ACL. */
  private String sandbox(String principal, String taskId) {
    return TaskOwners.find(master.get(), taskId)
        .flatMap(owner -> authorizer.deny(principal, Action.ACCESS_SANDBOXES, owner.user()))
        .orElse(null);
  }
}
