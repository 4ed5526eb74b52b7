package dev.terrace.agent.auth;

import dev.terrace.security.authn.AuthenticationPolicy;
import dev.terrace.security.authz.Authorizer;
import dev.terrace.security.tls.TlsConfig;

/**
 * An agent's security settings. Toward the master: the credential it presents on its channel
 * ({@code --credential}, null for none) and the TLS it connects with (null: plain WebSocket).
 * Its own HTTP server: who must authenticate (read-only: files, state, monitor; read-write:
 * exec), what the ACLs allow, the TLS it serves (null: plain HTTP), and whether it may listen
 * beyond loopback with exec unauthenticated ({@code --allow-open}), and whether executors must
 * present their own token on the executor API ({@code --authenticate-http-executors}).
 */
public record AgentSecurity(AgentCredential masterCredential, TlsConfig masterTls,
    AuthenticationPolicy http, Authorizer authorizer, TlsConfig serverTls, boolean allowOpen,
    boolean authenticateExecutors) {

  public AgentSecurity {
    http = http == null ? AuthenticationPolicy.open() : http;
    authorizer = authorizer == null ? Authorizer.allowAll() : authorizer;
  }

  /** Executors unauthenticated. */
  public AgentSecurity(AgentCredential masterCredential, TlsConfig masterTls,
      AuthenticationPolicy http, Authorizer authorizer, TlsConfig serverTls, boolean allowOpen) {
    this(masterCredential, masterTls, http, authorizer, serverTls, allowOpen, false);
  }

  /** The same settings, requiring executors' tokens on the executor API or not. */
  public AgentSecurity withExecutorAuthentication(boolean required) {
    return new AgentSecurity(masterCredential, masterTls, http, authorizer, serverTls, allowOpen,
        required);
  }

  /** Not allowed to listen openly beyond loopback. */
  public AgentSecurity(AgentCredential masterCredential, TlsConfig masterTls,
      AuthenticationPolicy http, Authorizer authorizer, TlsConfig serverTls) {
    this(masterCredential, masterTls, http, authorizer, serverTls, false);
  }

  public static AgentSecurity open() {
    return new AgentSecurity(null, null, null, null, null, false, false);
  }

  /**
   * Refuses an agent about to listen on {@code bindHost} beyond loopback while exec (which runs
   * commands inside every task) needs no credentials, unless {@code allowOpen}. Resolves the name:
   * call it before any event loop runs.
   */
  public void checkExposure(String bindHost) {
    if (allowOpen || http.requires(dev.terrace.security.authn.Realm.READWRITE)) {
      return;
    }
    try {
      if (java.net.InetAddress.getByName(bindHost).isLoopbackAddress()) {
        return;
      }
    } catch (java.net.UnknownHostException e) {
      // not resolvable: refuse below, with the same advice
    }
    throw new IllegalStateException("Refusing to listen on " + bindHost + " with exec into tasks"
        + " unauthenticated: anyone who reaches this address could run commands in every task. Give"
        + " --credentials FILE with --authenticate-http-readwrite, listen on loopback (--ip 127.0.0.1),"
        + " or pass --allow-open to accept the risk");
  }
}
