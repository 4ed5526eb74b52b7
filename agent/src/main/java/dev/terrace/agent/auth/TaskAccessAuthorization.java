package dev.terrace.agent.auth;

import dev.terrace.agent.task.TaskRunner;
import dev.terrace.security.authn.AuthenticationHandler;
import dev.terrace.security.authz.Action;
import dev.terrace.security.authz.Authorizer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ACLs on the agent, in front of the routes that reach into tasks: exec needs
 * {@code launch_nested_container_sessions} for the task's user, the files API
 * {@code access_sandboxes} for the user of the task whose sandbox the path names (asked about
 * every user when the path names no task the agent still runs). 403 with the reason.
 */
public final class TaskAccessAuthorization implements Handler<RoutingContext> {
  /** {@code .../frameworks/F/executors/E/...}: Mesos' sandbox layout, E is the task's executor. */
  private static final Pattern SANDBOX = Pattern.compile("/frameworks/([^/]+)/executors/([^/]+)(/|$)");

  private final Authorizer authorizer;
  private final Supplier<Collection<TaskRunner>> tasks;

  /** @param tasks the agent's tasks; read on the agent's context, where this handler runs */
  public TaskAccessAuthorization(Authorizer authorizer, Supplier<Collection<TaskRunner>> tasks) {
    this.authorizer = authorizer;
    this.tasks = tasks;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String principal = AuthenticationHandler.principal(ctx);
    Optional<String> denied = Optional.empty();
    if (path.equals("/api/v1/exec")) {
      String taskId = ctx.request().getParam("task_id");
      // An unknown task is the exec endpoint's own 404; the ACL is about tasks that exist.
      Optional<TaskRunner> task = find(taskId, null);
      if (task.isPresent()) {
        denied = authorizer.deny(principal, Action.LAUNCH_NESTED_CONTAINER_SESSIONS, task.get().user());
      }
    } else if (path.startsWith("/files/")) {
      String file = ctx.request().getParam("path");
      Matcher m = SANDBOX.matcher(file == null ? "" : file);
      Optional<TaskRunner> task = m.find() ? find(m.group(2), m.group(1)) : Optional.empty();
      denied = authorizer.deny(principal, Action.ACCESS_SANDBOXES, task.map(TaskRunner::user).orElse(null));
    }
    if (denied.isPresent()) {
      ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(denied.get());
    } else {
      ctx.next();
    }
  }

  private Optional<TaskRunner> find(String taskOrExecutorId, String frameworkId) {
    if (taskOrExecutorId == null) {
      return Optional.empty();
    }
    return tasks.get().stream()
        .filter(t -> t.task().taskId().value().equals(taskOrExecutorId)
            || (t.task().executor() != null && t.task().executor().executorId() != null
                && t.task().executor().executorId().value().equals(taskOrExecutorId)))
        .filter(t -> frameworkId == null || t.frameworkId().value().equals(frameworkId))
        .findFirst();
  }
}
