package dev.terrace.master.auth;

import dev.terrace.security.authn.AuthenticationPolicy;
import dev.terrace.security.authn.Realm;
import dev.terrace.security.authz.Authorizer;
import dev.terrace.security.tls.TlsConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.EnumSet;
import java.util.Set;

/**
 * A master's security settings: who must authenticate, what the ACLs allow, TLS (null: plain
 * HTTP), the request limits, and whether it may listen on a non-loopback address while frameworks, agents or
 * read-write operators can call it without credentials ({@code --allow-open}).
 */
public record MasterSecurity(AuthenticationPolicy authentication, Authorizer authorizer,
    TlsConfig tls, boolean allowOpen, RequestLimits limits) {

  /** The realms that, left unauthenticated, let anyone on the network change the cluster. */
  private static final Set<Realm> WRITERS = EnumSet.of(Realm.FRAMEWORK, Realm.AGENT, Realm.READWRITE);

  public MasterSecurity {
    authentication = authentication == null ? AuthenticationPolicy.open() : authentication;
    authorizer = authorizer == null ? Authorizer.allowAll() : authorizer;
    limits = limits == null ? RequestLimits.defaults() : limits;
  }

  /** With the default request limits. */
  public MasterSecurity(AuthenticationPolicy authentication, Authorizer authorizer, TlsConfig tls,
      boolean allowOpen) {
    this(authentication, authorizer, tls, allowOpen, null);
  }

  /** No authentication, no ACLs, no TLS: what tests and {@code terrace local} (on loopback) use. */
  public static MasterSecurity open() {
    return new MasterSecurity(AuthenticationPolicy.open(), Authorizer.allowAll(), null, false, null);
  }

  /**
   * Refuses (with what to do about it) a master about to listen on {@code bindHost}, unless it is
   * loopback, every writing realm is authenticated, or {@code allowOpen} was given. Resolves the
   * name: call it before any event loop runs.
   */
  public void checkExposure(String bindHost) {
    if (allowOpen) {
      return;
    }
    Set<Realm> open = EnumSet.copyOf(WRITERS);
    open.retainAll(authentication.unauthenticated());
    if (open.isEmpty() || isLoopback(bindHost)) {
      return;
    }
    throw new IllegalStateException("Refusing to listen on " + bindHost + " with no authentication for "
        + open.stream().map(r -> r.name().toLowerCase()).sorted().toList()
        + ": anyone who reaches this address could run code on every agent. Give --credentials FILE with"
        + " --authenticate-frameworks --authenticate-agents --authenticate-http-readwrite, listen on"
        + " loopback (--ip 127.0.0.1), or pass --allow-open to accept the risk");
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
