package dev.terrace.cli.security;

import dev.terrace.agent.auth.AgentCredential;
import dev.terrace.agent.auth.AgentSecurity;
import dev.terrace.security.tls.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code terrace agent}: the HTTP flags, plus the credential and TLS trust toward the master. */
public final class AgentSecurityOptions extends HttpSecurityOptions {
  @Option(names = "--credential", defaultValue = "${env:TERRACE_CREDENTIAL}",
      description = "JSON {\"principal\":..,\"secret\":..} this agent authenticates to the master with (env TERRACE_CREDENTIAL).")
  Path credential;

  @Option(names = "--master-ca", defaultValue = "${env:TERRACE_MASTER_CA}",
      description = "Connect to the master over TLS, trusting these PEM CA certificates (env TERRACE_MASTER_CA).")
  Path masterCa;

  @Option(names = "--allow-open", defaultValue = "${env:TERRACE_ALLOW_OPEN:-false}",
      description = "Listen beyond loopback even though exec into tasks needs no credentials.")
  boolean allowOpen;

  @Option(names = "--authenticate-http-executors",
      defaultValue = "${env:TERRACE_AUTHENTICATE_HTTP_EXECUTORS:-false}",
      description = "Require each executor's own token (MESOS_EXECUTOR_AUTHENTICATION_TOKEN) on the executor API.")
  boolean authenticateExecutors;

  public AgentSecurity toSecurity() throws IOException {
    AgentCredential cred = credential == null ? null : AgentCredential.read(credential);
    TlsConfig toMaster = null;
    if (masterCa != null) {
      // The agent's own certificate, if any, doubles as its client certificate.
      toMaster = new TlsConfig(tlsCert, tlsKey, masterCa, false);
    }
    return new AgentSecurity(cred, toMaster, policy(Set.of()), authorizer(), serverTls(), allowOpen,
        authenticateExecutors);
  }
}
