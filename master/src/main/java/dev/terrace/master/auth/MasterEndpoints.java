package dev.terrace.master.auth;

import dev.terrace.security.authn.Realm;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * Which realm each master endpoint belongs to. Anything not named here is READONLY when it is a
 * GET or HEAD and READWRITE otherwise, so a route added later is authenticated by default.
 */
public final class MasterEndpoints {
  /** Answered without credentials: liveness, version, where the leader is, the UI's static files. */
  private static final Set<String> OPEN = Set.of("/health", "/master/health", "/version",
      "/master/redirect", "/redirect", "/", "/favicon.ico");

  private MasterEndpoints() {}

  public static Realm realmOf(RoutingContext ctx) {
    // The normalized path is what the router matched: "/ui/../master/state" is /master/state.
    return realmOf(ctx.request().method(), ctx.normalizedPath());
  }

  public static Realm realmOf(HttpMethod method, String path) {
    if (path == null) {
      return Realm.READWRITE;
    }
    if (OPEN.contains(path) || path.startsWith("/ui/")) {
      return Realm.OPEN;
    }
    if (path.equals("/api/v1/scheduler")) {
      return Realm.FRAMEWORK;
    }
    if (path.equals("/api/v1/agent")) {
      return Realm.AGENT;
    }
    // The v1 operator API carries reads and writes in one POST endpoint: Mesos puts it in the
    // read-write realm, and so do we.
    if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
      return Realm.READONLY;
    }
    return Realm.READWRITE;
  }
}
