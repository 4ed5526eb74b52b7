package dev.terrace.sdk;

import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.MasterDetector;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Says which master to subscribe to. A fixed {@code http://} URL is used as given (if it names a
 * standby, the 307 it answers with leads to the leader); anything else goes through a
 * {@link MasterDetector}, asked again before every (re)subscription so that a new leader is found.
 */
final class MasterLocator implements AutoCloseable {
  private final URI fixed;
  private final MasterDetector detector;
  private final boolean ownsDetector;
  /** Detected masters are reached over https (their MasterInfo carries no scheme). */
  private final boolean https;

  private MasterLocator(URI fixed, MasterDetector detector, boolean ownsDetector) {
    this(fixed, detector, ownsDetector, false);
  }

  private MasterLocator(URI fixed, MasterDetector detector, boolean ownsDetector, boolean https) {
    this.https = https;
    this.fixed = fixed;
    this.detector = detector;
    this.ownsDetector = ownsDetector;
  }

  static MasterLocator forUrl(String url) {
    if (url.startsWith("http://") || url.startsWith("https://")) {
      return new MasterLocator(baseOf(URI.create(url)), null, false);
    }
    return new MasterLocator(null, MasterDetector.forUrl(url), true);
  }

  /** Uses a caller's detector and leaves closing it to the caller. */
  static MasterLocator forDetector(MasterDetector detector) {
    return new MasterLocator(null, detector, false);
  }

  /** This locator, with detected masters reached over https. */
  MasterLocator overHttps() {
    return new MasterLocator(fixed, detector, ownsDetector, true);
  }

  private URI baseUrl(MasterInfo m) {
    String url = m.baseUrl();
    return URI.create(https && url.startsWith("http://") ? "https://" + url.substring(7) : url);
  }

  /** The base URL ({@code scheme://host:port}) of the master to talk to now. */
  URI locate(Duration wait) throws MasterUnavailableException, InterruptedException {
    if (fixed != null) {
      return fixed;
    }
    try {
      MasterInfo leader = detector.awaitLeader().get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return baseUrl(leader);
    } catch (TimeoutException e) {
      throw new MasterUnavailableException("no leading master detected within " + wait.toSeconds() + "s");
    } catch (ExecutionException e) {
      throw new MasterUnavailableException("master detection failed: " + e.getCause());
    }
  }

  /** Tells {@code onChange} about leader changes; a no-op for a fixed URL, which never changes. */
  void onLeaderChange(Consumer<Optional<URI>> onChange) {
    if (detector != null) {
      detector.addListener(leader -> onChange.accept(leader.map(this::baseUrl)));
    }
  }

  static URI baseOf(URI uri) {
    String scheme = uri.getScheme() == null ? "http" : uri.getScheme();
    int port = uri.getPort() >= 0 ? uri.getPort() : ("https".equals(scheme) ? 443 : 80);
    return URI.create(scheme + "://" + uri.getHost() + ":" + port);
  }

  @Override
  public void close() {
    if (ownsDetector) {
      detector.close();
    }
  }

  static final class MasterUnavailableException extends Exception {
    MasterUnavailableException(String message) {
      super(message);
    }
  }
}
