package dev.terrace.agent.auth;

import dev.terrace.security.authn.AuthenticationPolicy;
import dev.terrace.security.authz.Authorizer;
import dev.terrace.security.tls.TlsConfig;

/**
 * An agent's security settings. Toward the master: the credential it presents on its channel
 * ({@code --credential}, null for none) and the TLS it connects with (null: plain WebSocket).
 * Its own HTTP server: who must authenticate (read-only: files, state, monitor; read-write:
 * exec), what the ACLs allow, and the TLS it serves (null: plain HTTP).
 */
public record AgentSecurity(AgentCredential masterCredential, TlsConfig masterTls,
    AuthenticationPolicy http, Authorizer authorizer, TlsConfig serverTls) {

  public AgentSecurity {
    http = http == null ? AuthenticationPolicy.open() : http;
    authorizer = authorizer == null ? Authorizer.allowAll() : authorizer;
  }

  public static AgentSecurity open() {
    return new AgentSecurity(null, null, null, null, null);
  }
}
