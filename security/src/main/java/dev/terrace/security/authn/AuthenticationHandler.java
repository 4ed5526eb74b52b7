package dev.terrace.security.authn;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In front of every route of a server: classifies the request into a {@link Realm}; where the
 * policy requires it, lets the request through only with valid credentials (401 with
 * {@code WWW-Authenticate} otherwise). Valid credentials sent where none are required still name
 * the caller, so ACLs can apply to them. The principal, if any, is in {@link #principal}.
 */
public final class AuthenticationHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger(AuthenticationHandler.class);
  private static final String PRINCIPAL = "terrace.principal";

  private final String server;
  private final AuthenticationPolicy policy;
  private final Function<RoutingContext, Realm> classifier;

  /**
   * @param server names the realms in challenges ({@code master}, {@code agent})
   * @param classifier the realm of a request; must not block and must not read the body
   */
  public AuthenticationHandler(String server, AuthenticationPolicy policy,
      Function<RoutingContext, Realm> classifier) {
    this.server = server;
    this.policy = policy;
    this.classifier = classifier;
  }

  /** The authenticated principal of this request, or null when it carried no valid credentials. */
  public static String principal(RoutingContext ctx) {
    return ctx.get(PRINCIPAL);
  }

  @Override
  public void handle(RoutingContext ctx) {
    Realm realm = classifier.apply(ctx);
    if (realm == Realm.OPEN) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    String principal = HttpCredentials.authenticate(header, policy.credentials().get()).orElse(null);
    if (principal != null) {
      ctx.put(PRINCIPAL, principal);
      ctx.next();
      return;
    }
    if (!policy.requires(realm)) {
      ctx.next();
      return;
    }
    String name = realm.challengeName(server);
    // Wrong credentials are worth an operator's eye; missing ones are routine (a browser's first
    // try, a client not configured yet) and would flood the log.
    if (header == null) {
      LOG.debug("401 {} {} from {}: no credentials", ctx.request().method(), ctx.request().path(),
          ctx.request().remoteAddress());
    } else {
      LOG.warn("401 {} {} from {}: invalid credentials", ctx.request().method(), ctx.request().path(),
          ctx.request().remoteAddress());
    }
    ctx.response().setStatusCode(401)
        .putHeader("WWW-Authenticate", java.util.List.<String>of(
            "Basic realm=\"" + name + "\"", "Bearer realm=\"" + name + "\""))
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end((header == null ? "Authentication required" : "Invalid credentials")
            + " for " + name + ": send HTTP Basic principal:secret or a bearer token");
  }
}
