package dev.terrace.testkit.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and certificates it signs, made with the {@code openssl} CLI in a test's temp
 * dir: a server certificate for 127.0.0.1/localhost and client certificates. EC P-256, one day.
 */
final class TestCertificates {
  final Path dir;
  final Path caCert;
  private final Path caKey;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.caCert = dir.resolve("ca.pem");
    this.caKey = dir.resolve("ca-key.pem");
  }

  /** A new CA in {@code dir}; {@code name} keeps two CAs of one test apart. */
  static TestCertificates newCa(Path dir, String name) throws Exception {
    Files.createDirectories(dir);
    TestCertificates c = new TestCertificates(dir);
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", c.caKey.toString(), "-out", c.caCert.toString(), "-days", "1",
        "-subj", "/CN=" + name, "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return c;
  }

  /** A certificate and key signed by this CA: {@code [cert, key]}. */
  Path[] issue(String name, boolean server) throws Exception {
    Path key = dir.resolve(name + "-key.pem");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".pem");
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, server
        ? "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n"
        : "extendedKeyUsage=clientAuth\n");
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
    openssl(dir, "x509", "-req", "-in", csr.toString(), "-CA", caCert.toString(), "-CAkey",
        caKey.toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "1",
        "-extfile", ext.toString());
    return new Path[] {cert, key};
  }

  /**
   * An SSLContext for a JDK client: presents {@code [cert, key]} (null: no client certificate)
   * and trusts {@code trusted} (a PEM CA).
   */
  static javax.net.ssl.SSLContext clientContext(Path[] certAndKey, Path trusted) throws Exception {
    javax.net.ssl.KeyManager[] keys = null;
    if (certAndKey != null) {
      Path p12 = certAndKey[0].resolveSibling(certAndKey[0].getFileName() + ".p12");
      openssl(p12.getParent(), "pkcs12", "-export", "-in", certAndKey[0].toString(), "-inkey",
          certAndKey[1].toString(), "-out", p12.toString(), "-passout", "pass:test");
      java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(p12)) {
        ks.load(in, "test".toCharArray());
      }
      var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, "test".toCharArray());
      keys = kmf.getKeyManagers();
    }
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    java.security.KeyStore ts = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    ts.load(null, null);
    try (var in = Files.newInputStream(trusted)) {
      ts.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    tmf.init(ts);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    ctx.init(keys, tmf.getTrustManagers(), null);
    return ctx;
  }

  private static void openssl(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("openssl");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }
}
