package dev.terrace.security.authz;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides with {@link Acls} and logs every denial. A denial is a reason to send back in a 403:
 * {@code Principal 'ops' is not authorized to run tasks as user 'root'}.
 */
public final class Authorizer {
  private static final Logger LOG = LoggerFactory.getLogger(Authorizer.class);
  private static final Authorizer ALLOW_ALL = new Authorizer(Acls.allowAll());

  private final Acls acls;

  public Authorizer(Acls acls) {
    this.acls = acls;
  }

  public static Authorizer allowAll() {
    return ALLOW_ALL;
  }

  /** Empty when allowed; otherwise the reason, already logged. */
  public Optional<String> deny(String principal, Action action, String object) {
    if (acls.allows(principal, action, object)) {
      return Optional.empty();
    }
    String who = principal == null ? "An unauthenticated caller" : "Principal '" + principal + "'";
    String what = object == null ? "" : " (" + action.objectField() + ": '" + object + "')";
    String reason = who + " is not authorized to " + action.describe() + what;
    LOG.warn("Denied: {}", reason);
    return Optional.of(reason);
  }
}
