package dev.terrace.sdk;

import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.recordio.RecordIODecoder;
import dev.terrace.common.recordio.RecordIOException;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one SUBSCRIBE stream open, on its own thread: locates the master, follows redirects to the
 * leader, reads RecordIO events, and on any loss (stream end, missed heartbeats, unreachable
 * master, new leader) tells the listener and tries again after a backoff. Only a refusal that would
 * repeat (a 4xx answer to SUBSCRIBE) or {@link #stop()} ends it.
 */
final class SubscriptionLoop {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionLoop.class);
  static final String STREAM_ID_HEADER = "Mesos-Stream-Id";
  private static final String PATH = "/api/v1/scheduler";
  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_EVENT_BYTES = 64 << 20;
  /** Mesos' advice: resubscribe after about five missed heartbeats. */
  private static final int MISSED_HEARTBEATS = 5;
  private static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);
  private static final Duration LOCATE_WAIT = Duration.ofSeconds(10);

  /** What the loop reports; called on the loop thread, so implementations must not block. */
  interface Listener {
    /** A SUBSCRIBED event arrived on a stream from {@code master} with {@code streamId}. */
    void subscribed(URI master, String streamId, Event event);

    void event(Event event);

    void disconnected(String reason);

    /** SUBSCRIBE was refused in a way retrying cannot fix; the loop has ended. */
    void refused(String message);
  }

  private final HttpClient http;
  private final MasterLocator locator;
  private final Supplier<FrameworkInfo> frameworkInfo;
  private final Listener listener;
  private final Backoff backoff;
  /** Released to cut a backoff short when the detector names a new leader. */
  private final java.util.concurrent.Semaphore wake = new java.util.concurrent.Semaphore(0);
  private final Duration requestTimeout;
  private final ScheduledExecutorService watchdog;
  private final Thread thread;

  private final WireFormat format;
  private volatile boolean stopped;
  private volatile Stream current;
  private volatile CompletableFuture<Void> teardown;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();

  SubscriptionLoop(HttpClient http, MasterLocator locator, Supplier<FrameworkInfo> frameworkInfo,
      Listener listener, Backoff backoff, Duration requestTimeout, ScheduledExecutorService watchdog,
      WireFormat format) {
    this.format = format;
    this.http = http;
    this.locator = locator;
    this.frameworkInfo = frameworkInfo;
    this.listener = listener;
    this.backoff = backoff;
    this.requestTimeout = requestTimeout;
    this.watchdog = watchdog;
    this.thread = new Thread(() -> {
      try {
        run();
      } finally {
        finished.complete(null);
      }
    }, "terrace-sdk-subscription");
    this.thread.setDaemon(true);
  }

  void start() {
    // A detector that sees a different leader than the one we are streaming from means our master
    // lost leadership; its stream may linger, so drop it rather than wait for missed heartbeats.
    locator.onLeaderChange(this::leaderChanged);
    thread.start();
  }

  void stop() {
    stopped = true;
    Stream s = current;
    if (s != null) {
      s.abort("client stopped");
    }
    thread.interrupt();
  }

  /** Completes when the loop has ended for good and will not subscribe again. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  /** After a TEARDOWN is sent the master closes our stream; do not resubscribe if it succeeds. */
  void teardownStarted(CompletableFuture<Void> result) {
    teardown = result;
  }

  private void leaderChanged(Optional<URI> leader) {
    Stream s = current;
    if (s != null && leader.isPresent() && !leader.get().equals(s.locatedAt)) {
      s.abort("a new leading master was elected: " + leader.get());
    }
    if (s == null && leader.isPresent()) {
      // Waiting out a backoff (the old leader was unreachable): a new leader is worth trying now,
      // not after a backoff that grew while the old one's ZooKeeper session ran out.
      backoff.reset();
      wake.release();
    }
  }

  private void run() {
    while (!stopped) {
      String reason;
      try {
        reason = subscribeOnce();
      } catch (MasterLocator.MasterUnavailableException e) {
        reason = e.getMessage();
      } catch (IOException e) {
        reason = "master unreachable: " + describe(e);
      } catch (RefusedException e) {
        stopped = true;
        listener.refused(e.getMessage());
        return;
      } catch (InterruptedException e) {
        return;
      }
      if (stopped || tornDown()) {
        return;
      }
      log.info("Scheduler subscription lost ({}); retrying", reason);
      listener.disconnected(reason);
      try {
        wake.drainPermits();
        wake.tryAcquire(backoff.next().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** True when a TEARDOWN went through: the stream ended because we asked for it. */
  private boolean tornDown() {
    CompletableFuture<Void> t = teardown;
    if (t == null) {
      return false;
    }
    try {
      t.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
      stopped = true;
      return true;
    } catch (Exception e) {
      teardown = null;
      return false;
    }
  }

  /** One subscription, from locating the master to the end of its stream; returns why it ended. */
  private String subscribeOnce()
      throws IOException, InterruptedException, MasterLocator.MasterUnavailableException, RefusedException {
    URI located = locator.locate(LOCATE_WAIT);
    URI target = located.resolve(PATH);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<InputStream> response = http.send(subscribeRequest(target),
          HttpResponse.BodyHandlers.ofInputStream());
      int status = response.statusCode();
      if (status == 200) {
        String streamId = response.headers().firstValue(STREAM_ID_HEADER).orElse(null);
        if (streamId == null) {
          response.body().close();
          return "master at " + target + " sent no " + STREAM_ID_HEADER + " header";
        }
        return read(new Stream(located, MasterLocator.baseOf(target), streamId, response.body()));
      }
      String body = readBounded(response.body());
      if (status == 307 || status == 301 || status == 302 || status == 308) {
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty()) {
          return "master at " + target + " redirected without a Location";
        }
        // Mesos masters answer with a protocol-relative "//host:port/path": resolve against ours.
        target = target.resolve(location.get());
        log.debug("SUBSCRIBE redirected to {}", target);
        continue;
      }
      if (status >= 500 || status == 408 || status == 429) {
        return "master at " + target + " answered HTTP " + status + (body.isBlank() ? "" : ": " + body.strip());
      }
      throw new RefusedException("SUBSCRIBE refused with HTTP " + status
          + (body.isBlank() ? "" : ": " + body.strip()));
    }
    return "more than " + MAX_REDIRECTS + " redirects from " + located;
  }

  private HttpRequest subscribeRequest(URI target) {
    // No Mesos-Stream-Id here: a SUBSCRIBE carrying one is a 400. The timeout covers only the
    // wait for the response headers; the stream itself is watched through heartbeats.
    return HttpRequest.newBuilder(target)
        .timeout(requestTimeout)
        .header("Content-Type", format.mime)
        .header("Accept", format.mime)
        .POST(HttpRequest.BodyPublishers.ofByteArray(format.encode(Call.subscribe(frameworkInfo.get()))))
        .build();
  }

  private String read(Stream stream) {
    current = stream;
    if (stopped) {
      stream.abort("client stopped");
    }
    RecordIODecoder decoder = new RecordIODecoder(MAX_EVENT_BYTES, record -> onRecord(stream, record));
    watch(stream, stream.watchGeneration);
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = stream.body) {
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          return stream.abortReason != null ? stream.abortReason
              : decoder.isAtBoundary() ? "master closed the event stream" : "event stream ended inside a record";
        }
        stream.lastEventNanos = System.nanoTime();
        decoder.feed(buf, 0, n);
      }
    } catch (RecordIOException e) {
      return "malformed event stream: " + e.getMessage();
    } catch (IOException e) {
      return stream.abortReason != null ? stream.abortReason : "event stream broken: " + describe(e);
    } finally {
      current = null;
    }
  }

  private void onRecord(Stream stream, byte[] record) {
    Event event;
    try {
      event = format.decode(record);
    } catch (WireFormatException e) {
      // One event we cannot read should not cost the whole subscription (and a resubscribe would
      // not fix it); skip it loudly.
      log.warn("Skipping unreadable event: {}", e.getMessage());
      return;
    }
    if (event.type() == Event.Type.SUBSCRIBED && event.subscribed() != null) {
      Double seconds = event.subscribed().heartbeatIntervalSeconds();
      if (seconds != null && seconds > 0) {
        stream.heartbeatNanos = (long) (seconds * 1e9);
        // Restart the watch at the master's pace; the first check was timed by the default.
        watch(stream, ++stream.watchGeneration);
      }
      backoff.reset();
      listener.subscribed(stream.master, stream.streamId, event);
    } else {
      listener.event(event);
    }
  }

  /**
   * Checks the stream for silence every half heartbeat interval until it ends or a newer
   * generation of checks (started when the interval changed) replaces this one.
   */
  private void watch(Stream stream, int generation) {
    long delay = Math.max(stream.heartbeatNanos / 2, TimeUnit.MILLISECONDS.toNanos(5));
    try {
      watchdog.schedule(() -> {
        if (current != stream || stream.abortReason != null || stream.watchGeneration != generation) {
          return;
        }
        long silent = System.nanoTime() - stream.lastEventNanos;
        if (silent > MISSED_HEARTBEATS * stream.heartbeatNanos) {
          stream.abort(String.format("no event from the master for %.1fs (%d missed heartbeats)",
              silent / 1e9, MISSED_HEARTBEATS));
        } else {
          watch(stream, generation);
        }
      }, delay, TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // The client is closing and has stopped its watchdog; the stream is being dropped anyway.
    }
  }

  private static String readBounded(InputStream in) throws IOException {
    try (in) {
      return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }
  }

  private static String describe(Throwable e) {
    String msg = e.getMessage();
    return msg == null || msg.isBlank() ? e.getClass().getSimpleName() : msg;
  }

  /** One open SUBSCRIBE response. */
  private static final class Stream {
    final URI locatedAt;
    final URI master;
    final String streamId;
    final InputStream body;
    volatile long lastEventNanos = System.nanoTime();
    volatile long heartbeatNanos = DEFAULT_HEARTBEAT.toNanos();
    volatile String abortReason;
    /** Written only by the reader thread; read by the watchdog. */
    volatile int watchGeneration;

    Stream(URI locatedAt, URI master, String streamId, InputStream body) {
      this.locatedAt = locatedAt;
      this.master = master;
      this.streamId = streamId;
      this.body = body;
    }

    /** Closing the body wakes the blocked reader, which then reports {@code reason}. */
    void abort(String reason) {
      if (abortReason == null) {
        abortReason = reason;
      }
      try {
        body.close();
      } catch (IOException e) {
        // Nothing more to do: the stream is being dropped either way.
      }
    }
  }

  static final class RefusedException extends Exception {
    RefusedException(String message) {
      super(message);
    }
  }
}
