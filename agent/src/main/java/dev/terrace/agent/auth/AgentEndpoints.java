package dev.terrace.agent.auth;

import dev.terrace.security.authn.Realm;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * The realm of each agent endpoint: {@code /health} and the executor API are open; exec ({@code /api/v1/exec}), which
 * runs commands inside tasks, is read-write; every other GET (state, files, monitor) is
 * read-only, and anything else read-write.
 */
public final class AgentEndpoints {
  private AgentEndpoints() {}

  public static Realm realmOf(RoutingContext ctx) {
    return realmOf(ctx.request().method(), ctx.normalizedPath());
  }

  public static Realm realmOf(HttpMethod method, String path) {
    if ("/health".equals(path)) {
      return Realm.OPEN;
    }
    // Custom executors call the executor API from inside their containers, without operator
    // credentials: with --authenticate-http-executors the API itself checks each executor's own
    // token (ExecutorApi), as Mesos' --authenticate_http_executors does.
    if ("/api/v1/executor".equals(path)) {
      return Realm.OPEN;
    }
    if ("/api/v1/exec".equals(path)) {
      return Realm.READWRITE;
    }
    return method == HttpMethod.GET || method == HttpMethod.HEAD ? Realm.READONLY : Realm.READWRITE;
  }
}
