package dev.terrace.cli.security;

import dev.terrace.master.auth.MasterSecurity;
import dev.terrace.master.auth.RequestLimits;
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

  @Option(names = "--rate-limit-qps", defaultValue = "${env:TERRACE_RATE_LIMIT_QPS:-0}",
      description = "Scheduler and operator API requests per second per caller (principal, else address); 0 = no limit (default).")
  double rateLimitQps;

  @Option(names = "--rate-limit-burst", defaultValue = "${env:TERRACE_RATE_LIMIT_BURST:-100}",
      description = "Requests a caller may make at once above --rate-limit-qps (default ${DEFAULT-VALUE}).")
  double rateLimitBurst;

  public MasterSecurity toSecurity() throws IOException {
    EnumSet<Realm> extra = EnumSet.noneOf(Realm.class);
    if (authenticateFrameworks) {
      extra.add(Realm.FRAMEWORK);
    }
    if (authenticateAgents) {
      extra.add(Realm.AGENT);
    }
    RequestLimits defaults = RequestLimits.defaults();
    RequestLimits limits = new RequestLimits(rateLimitQps, rateLimitBurst,
        defaults.maxOpenSchedulerRequests(), defaults.maxOpenOperatorRequests());
    return new MasterSecurity(policy(extra), authorizer(), serverTls(), allowOpen, limits);
  }

  public boolean authenticatesAgents() {
    return authenticateAgents;
  }

  /** For an agent in the same process: trust this master's TLS, if it serves TLS. */
  public TlsConfig agentTrust() {
    return serverTls() == null ? null : TlsConfig.trusting(trustAnchor());
  }
}
