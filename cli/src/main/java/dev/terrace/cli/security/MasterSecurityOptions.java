package dev.terrace.cli.security;

import dev.terrace.master.auth.MasterSecurity;
import dev.terrace.security.authn.Realm;
import dev.terrace.security.tls.TlsConfig;
import java.io.IOException;
import java.util.EnumSet;
import picocli.CommandLine.Option;

/** {@code terrace master} and {@code terrace local}: the HTTP flags plus frameworks, agents, exposure. */
public final class MasterSecurityOptions extends HttpSecurityOptions {
  @Option(names = "--authenticate-frameworks", defaultValue = "${env:TERRACE_AUTHENTICATE_FRAMEWORKS:-false}",
      description = "Frameworks must authenticate (HTTP Basic principal:secret) on /api/v1/scheduler.")
  boolean authenticateFrameworks;

  @Option(names = "--authenticate-agents", defaultValue = "${env:TERRACE_AUTHENTICATE_AGENTS:-false}",
      description = "Agents must authenticate their channel (agent --credential).")
  boolean authenticateAgents;

  @Option(names = "--allow-open", defaultValue = "${env:TERRACE_ALLOW_OPEN:-false}",
      description = "Listen beyond loopback even though frameworks, agents or operators need no credentials.")
  boolean allowOpen;

  public MasterSecurity toSecurity() throws IOException {
    EnumSet<Realm> extra = EnumSet.noneOf(Realm.class);
    if (authenticateFrameworks) {
      extra.add(Realm.FRAMEWORK);
    }
    if (authenticateAgents) {
      extra.add(Realm.AGENT);
    }
    return new MasterSecurity(policy(extra), authorizer(), serverTls(), allowOpen);
  }

  public boolean authenticatesAgents() {
    return authenticateAgents;
  }

  /** For an agent in the same process: trust this master's TLS, if it serves TLS. */
  public TlsConfig agentTrust() {
    return serverTls() == null ? null : TlsConfig.trusting(trustAnchor());
  }
}
