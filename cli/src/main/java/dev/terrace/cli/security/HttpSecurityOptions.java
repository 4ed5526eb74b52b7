package dev.terrace.cli.security;

import dev.terrace.security.authn.AuthenticationPolicy;
import dev.terrace.security.authn.CredentialsFile;
import dev.terrace.security.authn.Realm;
import dev.terrace.security.authz.Acls;
import dev.terrace.security.authz.Authorizer;
import dev.terrace.security.tls.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The security flags every Terrace HTTP server takes (master and agent): operator authentication,
 * credentials, ACLs and TLS. Each also reads a {@code TERRACE_*} environment variable.
 */
public class HttpSecurityOptions {
  /** How often a credentials file is checked for changes (it is re-read when it changed). */
  static final Duration CREDENTIALS_POLL = Duration.ofSeconds(5);

  @Option(names = "--credentials", defaultValue = "${env:TERRACE_CREDENTIALS}",
      description = "Mesos credentials JSON {\"credentials\":[{\"principal\":..,\"secret\":..}]}; re-read when it changes (env TERRACE_CREDENTIALS).")
  Path credentials;

  @Option(names = "--authenticate-http-readonly", defaultValue = "${env:TERRACE_AUTHENTICATE_HTTP_READONLY:-false}",
      description = "Require credentials on read-only endpoints (state, metrics, files).")
  boolean authenticateReadonly;

  @Option(names = "--authenticate-http-readwrite", defaultValue = "${env:TERRACE_AUTHENTICATE_HTTP_READWRITE:-false}",
      description = "Require credentials on endpoints that change things (operator API, exec).")
  boolean authenticateReadwrite;

  @Option(names = "--acls", defaultValue = "${env:TERRACE_ACLS}",
      description = "Mesos-style ACL JSON (register_frameworks, run_tasks, update_weights, ...) (env TERRACE_ACLS).")
  Path acls;

  @Option(names = "--tls-cert", defaultValue = "${env:TERRACE_TLS_CERT}",
      description = "PEM certificate to serve HTTPS with (needs --tls-key) (env TERRACE_TLS_CERT).")
  Path tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:TERRACE_TLS_KEY}",
      description = "PEM private key of --tls-cert (env TERRACE_TLS_KEY).")
  Path tlsKey;

  @Option(names = "--tls-ca", defaultValue = "${env:TERRACE_TLS_CA}",
      description = "PEM CA certificates trusted for peers and client certificates (env TERRACE_TLS_CA).")
  Path tlsCa;

  @Option(names = "--tls-require-client-cert", defaultValue = "${env:TERRACE_TLS_REQUIRE_CLIENT_CERT:-false}",
      description = "Refuse TLS clients without a certificate signed by --tls-ca.")
  boolean requireClientCert;

  /** The realms this server's own flags require, plus {@code extra} (the master's framework/agent flags). */
  protected AuthenticationPolicy policy(Set<Realm> extra) throws IOException {
    EnumSet<Realm> required = EnumSet.noneOf(Realm.class);
    required.addAll(extra);
    if (authenticateReadonly) {
      required.add(Realm.READONLY);
    }
    if (authenticateReadwrite) {
      required.add(Realm.READWRITE);
    }
    if (credentials == null) {
      if (!required.isEmpty()) {
        throw new IllegalArgumentException("--authenticate-* needs --credentials FILE");
      }
      return AuthenticationPolicy.open();
    }
    return new AuthenticationPolicy(required, CredentialsFile.watch(credentials, CREDENTIALS_POLL));
  }

  protected Authorizer authorizer() throws IOException {
    return acls == null ? Authorizer.allowAll() : new Authorizer(Acls.read(acls));
  }

  /** The server's TLS, null when no certificate was given. */
  protected TlsConfig serverTls() {
    if (tlsCert == null && tlsKey == null) {
      if (requireClientCert) {
        throw new IllegalArgumentException("--tls-require-client-cert needs --tls-cert and --tls-key");
      }
      return null;
    }
    return new TlsConfig(tlsCert, tlsKey, tlsCa, requireClientCert);
  }

  /** What a client of this server's TLS (the local agent) trusts: the CA, else the certificate itself. */
  protected Path trustAnchor() {
    return tlsCa != null ? tlsCa : tlsCert;
  }
}
