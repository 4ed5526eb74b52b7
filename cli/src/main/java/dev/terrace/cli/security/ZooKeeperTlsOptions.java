package dev.terrace.cli.security;

import dev.terrace.discovery.ZooKeeperTls;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * ZooKeeper over TLS for a command's process ({@code master}, {@code agent}, {@code local},
 * {@code zk}): every ZooKeeper client in it trusts {@code --zk-tls-ca}; {@code --zk-tls-cert} and
 * {@code --zk-tls-key} are an embedded server's own certificate (or a client's).
 */
public final class ZooKeeperTlsOptions {
  @Option(names = "--zk-tls-ca", defaultValue = "${env:TERRACE_ZK_TLS_CA}",
      description = "Talk to ZooKeeper over TLS, trusting these PEM CA certificates (env TERRACE_ZK_TLS_CA).")
  Path ca;

  @Option(names = "--zk-tls-cert", defaultValue = "${env:TERRACE_ZK_TLS_CERT}",
      description = "PEM certificate an embedded ZooKeeper serves TLS with (or a client presents) (env TERRACE_ZK_TLS_CERT).")
  Path cert;

  @Option(names = "--zk-tls-key", defaultValue = "${env:TERRACE_ZK_TLS_KEY}",
      description = "PEM private key of --zk-tls-cert (env TERRACE_ZK_TLS_KEY).")
  Path key;

  /**
   * Turns ZooKeeper TLS on for this process when {@code --zk-tls-ca} is given; {@code workDir}
   * receives the key-and-certificate file ZooKeeper reads. Returns whether it did.
   */
  public boolean apply(Path workDir) throws IOException {
    if (ca == null) {
      if (cert != null || key != null) {
        throw new IllegalArgumentException("--zk-tls-cert and --zk-tls-key need --zk-tls-ca");
      }
      return false;
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("--zk-tls-cert and --zk-tls-key go together");
    }
    Path keyStore = cert == null ? null
        : ZooKeeperTls.combine(cert, key, workDir.resolve("zk-tls-keystore.pem"));
    if (keyStore != null) {
      java.nio.file.Files.setPosixFilePermissions(keyStore,
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }
    new ZooKeeperTls(ca, keyStore).applyToThisProcess();
    return true;
  }

  /** Whether an embedded server should serve TLS: a CA and its own certificate were given. */
  public boolean servesTls() {
    return ca != null && cert != null;
  }
}
