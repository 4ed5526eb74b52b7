package dev.terrace.discovery;

import dev.terrace.common.model.Address;
import dev.terrace.common.model.MasterInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A detector for a single master named by {@code http://host:port}: the leader is known at once and
 * never changes.
 */
public final class StandaloneMasterDetector implements MasterDetector {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneMasterDetector.class);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final MasterInfo master;
  // Listeners must run on a detector thread (MasterDetector contract), never on the caller's.
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "standalone-master-detector");
            t.setDaemon(true);
            return t;
          });

  public StandaloneMasterDetector(MasterInfo master) {
    this.master = master;
  }

  /**
   * Parses {@code http://host:port} (a trailing slash is allowed).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static StandaloneMasterDetector forUrl(String url) {
    return new StandaloneMasterDetector(parse(url));
  }

  static MasterInfo parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException | NullPointerException e) {
      throw bad(url, "not a URI");
    }
    if (!"http".equalsIgnoreCase(uri.getScheme())) {
      throw bad(url, "the scheme must be http");
    }
    if (uri.getHost() == null) {
      throw bad(url, "no host");
    }
    if (uri.getPort() < 1 || uri.getPort() > 65535) {
      throw bad(url, "no port or a bad one");
    }
    if (uri.getUserInfo() != null
        || uri.getQuery() != null
        || uri.getFragment() != null
        || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
      throw bad(url, "only scheme, host and port are allowed");
    }
    String host = uri.getHost();
    // Only a literal address fills ip: resolving a name here would freeze one DNS answer for the
    // life of the detector, while clients connecting by name follow DNS.
    boolean literal = IPV4.matcher(host).matches();
    Long ip = literal ? MasterInfo.packIpv4(host) : null;
    return new MasterInfo(
        "standalone",
        ip,
        uri.getPort(),
        null,
        host,
        null,
        new Address(host, literal ? host : null, uri.getPort()));
  }

  private static IllegalArgumentException bad(String url, String why) {
    return new IllegalArgumentException(
        "bad master URL '" + url + "': " + why + "; expected http://host:port");
  }

  @Override
  public Optional<MasterInfo> leader() {
    return Optional.of(master);
  }

  @Override
  public CompletableFuture<MasterInfo> awaitLeader() {
    return CompletableFuture.completedFuture(master);
  }

  @Override
  public void addListener(Consumer<Optional<MasterInfo>> listener) {
    try {
      executor.execute(
          () -> {
            try {
              listener.accept(Optional.of(master));
            } catch (RuntimeException e) {
              LOG.warn("master detector listener failed", e);
            }
          });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("detector is closed", e);
    }
  }

  @Override
  public void close() {
    executor.shutdown();
  }
}
