package dev.terrace.security.tls;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS for a Terrace HTTP server and its clients, from PEM files: {@code certificate} and
 * {@code key} are this process's own (needed to serve; optional for a client, which presents them
 * as a client certificate), {@code ca} the certificates to trust (peers' servers, and clients'
 * certificates when {@code requireClientCertificates}). Only TLS 1.2 and 1.3 are enabled.
 */
public record TlsConfig(Path certificate, Path key, Path ca, boolean requireClientCertificates) {

  public TlsConfig {
    if ((certificate == null) != (key == null)) {
      throw new IllegalArgumentException("a TLS certificate needs its key and a key its certificate");
    }
    if (requireClientCertificates && ca == null) {
      throw new IllegalArgumentException("requiring client certificates needs a CA file to check them against");
    }
    for (Path p : new Path[] {certificate, key, ca}) {
      if (p != null && !Files.isReadable(p)) {
        throw new IllegalArgumentException("cannot read TLS file " + p);
      }
    }
  }

  /** A client that only checks servers against {@code ca}. */
  public static TlsConfig trusting(Path ca) {
    return new TlsConfig(null, null, ca, false);
  }

  public boolean canServe() {
    return certificate != null;
  }

  /** Turns TLS on for a server; fails when there is no certificate to serve. */
  public HttpServerOptions applyTo(HttpServerOptions options) {
    if (!canServe()) {
      throw new IllegalArgumentException("serving TLS needs a certificate and key");
    }
    options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setCertPath(certificate.toString()).setKeyPath(key.toString()));
    options.getSslOptions().getEnabledSecureTransportProtocols().retainAll(java.util.Set.of("TLSv1.2", "TLSv1.3"));
    if (ca != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
      options.setClientAuth(requireClientCertificates ? ClientAuth.REQUIRED : ClientAuth.REQUEST);
    }
    return options;
  }

  /** Turns TLS on for a client: trust {@code ca} (else the JDK's CAs), present our certificate if any. */
  public <T extends ClientOptionsBase> T applyTo(T options) {
    options.setSsl(true);
    if (ca != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString()));
    }
    if (certificate != null) {
      options.setKeyCertOptions(new PemKeyCertOptions()
          .setCertPath(certificate.toString()).setKeyPath(key.toString()));
    }
    return options;
  }
}
