package dev.terrace.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ZooKeeper over TLS, configured the way ZooKeeper itself is: through its {@code zookeeper.*}
 * system properties, which every client (and an embedded server) in this process then reads. So
 * one call at process start turns TLS on for the contender, the registry, every detector and the
 * SDK alike. ZooKeeper reads a PEM "key store" as one file holding the key and its certificate.
 *
 * @param ca PEM certificates trusted for the servers (and, on a server, for clients)
 * @param keyAndCertificate PEM private key followed by its certificate: the server's own, or a
 *     client's certificate for servers that require one; null for none
 */
public record ZooKeeperTls(Path ca, Path keyAndCertificate) {

  public ZooKeeperTls {
    if (ca == null || !Files.isReadable(ca)) {
      throw new IllegalArgumentException("ZooKeeper TLS needs a readable CA file, not " + ca);
    }
    if (keyAndCertificate != null && !Files.isReadable(keyAndCertificate)) {
      throw new IllegalArgumentException("cannot read " + keyAndCertificate);
    }
  }

  /** Writes {@code key} then {@code certificate} into {@code out}, ZooKeeper's PEM key store. */
  public static Path combine(Path certificate, Path key, Path out) throws IOException {
    Files.writeString(out, Files.readString(key) + "\n" + Files.readString(certificate));
    return out;
  }

  /** The system properties that turn TLS on for ZooKeeper clients and servers of this process. */
  public Map<String, String> properties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("zookeeper.client.secure", "true");
    p.put("zookeeper.clientCnxnSocket", "org.apache.zookeeper.ClientCnxnSocketNetty");
    p.put("zookeeper.ssl.trustStore.location", ca.toString());
    p.put("zookeeper.ssl.trustStore.type", "PEM");
    if (keyAndCertificate != null) {
      p.put("zookeeper.ssl.keyStore.location", keyAndCertificate.toString());
      p.put("zookeeper.ssl.keyStore.type", "PEM");
    }
    // A server asks for client certificates only when clients have been given one.
    p.put("zookeeper.ssl.clientAuth", "none");
    return p;
  }

  /**
   * Applies {@link #properties()} to this process; closing the result puts the previous values
   * back (for tests that share a JVM with others).
   */
  public AutoCloseable applyToThisProcess() {
    Map<String, String> previous = new HashMap<>();
    properties().forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
    return () -> previous.forEach((k, v) -> {
      if (v == null) {
        System.clearProperty(k);
      } else {
        System.setProperty(k, v);
      }
    });
  }
}
