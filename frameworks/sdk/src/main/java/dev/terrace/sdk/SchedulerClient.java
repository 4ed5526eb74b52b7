package dev.terrace.sdk;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.discovery.MasterDetector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A framework's connection to the Terrace (or Mesos) master through the v1 scheduler HTTP API.
 *
 * <p>It subscribes, follows redirects to the leading master, delivers events to a
 * {@link Scheduler} in order on one thread, resubscribes with the same framework id (so the master
 * fails the framework over rather than registering a new one) whenever the stream is lost, and
 * acknowledges status updates for the scheduler unless told not to. Calls return futures that
 * fail with {@link SchedulerCallException} when the master answers with a non-2xx status, or with
 * {@link IllegalStateException} while not subscribed.
 *
 * <pre>{@code
 * try (SchedulerClient client = SchedulerClient.builder("zk://zk1:2181/terrace", info, scheduler).build()) {
 *   client.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>On a host with two cores or fewer, run the JVM with
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=2}: the JDK's HTTP client finishes
 * every response on the common pool, and with a one-thread common pool CompletableFuture starts a
 * new thread per step instead (measured: 1,079 vs 1,672 tasks/s in {@code bench/run throughput}).
 */
public final class SchedulerClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerClient.class);
  private static final String PATH = "/api/v1/scheduler";

  private final Scheduler scheduler;
  private final boolean autoAcknowledge;
  /** Uuids of updates already handed to the scheduler (bounded; oldest forgotten first). */
  private final java.util.Set<dev.terrace.common.json.Bytes> handledUpdates =
      java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<dev.terrace.common.json.Bytes, Boolean> e) {
          return size() > 10_000;
        }
      });
  private final HttpClient http;
  private final Duration requestTimeout;
  private final MasterLocator locator;
  private final ExecutorService events;
  private final ScheduledExecutorService watchdog;
  private final SubscriptionLoop loop;
  private final WireFormat format;
  private final boolean reconcileOnResubscribe;
  private final Reconciler reconciler;

  private volatile FrameworkInfo frameworkInfo;
  /** Where calls go: the master and stream of the current subscription; null between them. */
  private volatile Session session;
  private volatile boolean started;
  private volatile boolean closed;
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();

  private record Session(URI master, String streamId, FrameworkId frameworkId) {}

  private SchedulerClient(Builder b) {
    this.scheduler = b.scheduler;
    this.autoAcknowledge = b.autoAcknowledge;
    this.frameworkInfo = b.frameworkInfo;
    this.requestTimeout = b.requestTimeout;
    this.http = b.http != null ? b.http : HttpClient.newBuilder()
        // HTTP/1.1: the scheduler API is plain chunked HTTP/1.1 in Mesos, and an h2c upgrade
        // attempt on a streaming POST buys nothing.
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.connectTimeout)
        // Redirects are followed by hand: the JDK would not resolve Mesos' protocol-relative
        // Location for a POST the way we need, and calls must not silently move masters.
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    this.locator = b.detector != null ? MasterLocator.forDetector(b.detector) : MasterLocator.forUrl(b.masterUrl);
    this.events = Executors.newSingleThreadExecutor(daemon("terrace-sdk-events"));
    this.watchdog = Executors.newSingleThreadScheduledExecutor(daemon("terrace-sdk-watchdog"));
    this.loop = new SubscriptionLoop(http, locator, () -> frameworkInfo, new LoopListener(),
        new Backoff(b.initialBackoff, b.maxBackoff), requestTimeout, watchdog, b.format);
    this.format = b.format;
    this.reconcileOnResubscribe = b.reconcileOnResubscribe;
    this.reconciler = new Reconciler(watchdog, this::reconcile);
  }

  /** A client for the master at {@code masterUrl}: {@code http://host:port} or {@code zk://...}. */
  public static Builder builder(String masterUrl, FrameworkInfo frameworkInfo, Scheduler scheduler) {
    return new Builder(Objects.requireNonNull(masterUrl, "masterUrl"), null, frameworkInfo, scheduler);
  }

  /** A client that asks {@code detector} for the leader; the caller keeps ownership of it. */
  public static Builder builder(MasterDetector detector, FrameworkInfo frameworkInfo, Scheduler scheduler) {
    return new Builder(null, Objects.requireNonNull(detector, "detector"), frameworkInfo, scheduler);
  }

  /** Starts subscribing in the background; events begin to flow to the scheduler. */
  public synchronized SchedulerClient start() {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    if (!started) {
      started = true;
      loop.finished().whenComplete((ok, err) -> terminated.complete(null));
      loop.start();
    }
    return this;
  }

  /** The framework id the master assigned (or that we failed over to), once subscribed. */
  public Optional<FrameworkId> frameworkId() {
    return Optional.ofNullable(frameworkInfo.id());
  }

  /**
   * Completes once the client has stopped for good: closed, torn down, refused by the master or
   * told by an ERROR event that the framework is gone. A framework's main thread can wait on it.
   * Before {@link #start()} it completes only on {@link #close()}.
   */
  public CompletableFuture<Void> terminated() {
    return terminated;
  }

  /** True while a subscription is established (SUBSCRIBED received and the stream is open). */
  public boolean isSubscribed() {
    return session != null;
  }

  public CompletableFuture<Void> accept(List<OfferId> offerIds, List<Operation> operations, Filters filters) {
    return send(Call.Type.ACCEPT, fw -> Call.accept(fw, offerIds, operations, filters));
  }

  /** Accepts {@code offer} launching {@code tasks} on it; unused resources count as declined. */
  public CompletableFuture<Void> launch(Offer offer, List<TaskInfo> tasks) {
    return accept(List.of(offer.id()), List.of(Operation.launch(tasks)), null);
  }

  public CompletableFuture<Void> decline(List<OfferId> offerIds, Filters filters) {
    return send(Call.Type.DECLINE, fw -> Call.decline(fw, offerIds, filters));
  }

  /** Agrees to give up the agents of these inverse offers for their maintenance windows. */
  public CompletableFuture<Void> acceptInverseOffers(List<OfferId> ids) {
    return send(Call.Type.ACCEPT_INVERSE_OFFERS, fw -> Call.acceptInverseOffers(fw, ids, null));
  }

  /** Says the agents of these inverse offers cannot be given up in their windows. */
  public CompletableFuture<Void> declineInverseOffers(List<OfferId> ids) {
    return send(Call.Type.DECLINE_INVERSE_OFFERS, fw -> Call.declineInverseOffers(fw, ids, null));
  }

  /** Sends {@code data} to the framework's custom executor on an agent (at most once, as Mesos). */
  public CompletableFuture<Void> message(AgentId agent, dev.terrace.common.model.ExecutorId executor, byte[] data) {
    return send(Call.Type.MESSAGE, fw -> Call.message(fw, agent, executor, dev.terrace.common.json.Bytes.of(data)));
  }

  /** Asks the framework's custom executor on an agent to shut down (killed after a grace period). */
  public CompletableFuture<Void> shutdown(dev.terrace.common.model.ExecutorId executor, AgentId agent) {
    return send(Call.Type.SHUTDOWN, fw -> Call.shutdown(fw, executor, agent));
  }

  public CompletableFuture<Void> kill(TaskId taskId, AgentId agentId) {
    return send(Call.Type.KILL, fw -> Call.kill(fw, taskId, agentId));
  }

  /**
   * Acknowledges a status update so the agent stops resending it. Completes at once for updates
   * without a uuid (reconciliation answers and master-generated updates need no acknowledgement).
   */
  public CompletableFuture<Void> acknowledge(TaskStatus status) {
    if (status.uuid() == null) {
      return CompletableFuture.completedFuture(null);
    }
    return send(Call.Type.ACKNOWLEDGE,
        fw -> Call.acknowledge(fw, status.agentId(), status.taskId(), status.uuid()));
  }

  /** Asks for the latest status of {@code tasks}; an empty list asks for every known task. */
  public CompletableFuture<Void> reconcile(List<Call.Reconcile.ReconcileTask> tasks) {
    return send(Call.Type.RECONCILE, fw -> Call.reconcile(fw, tasks));
  }

  /** Clears offer filters and resumes offers for {@code roles} (all of the framework's if none). */
  public CompletableFuture<Void> revive(String... roles) {
    return send(Call.Type.REVIVE, fw -> Call.revive(fw, List.of(roles)));
  }

  /** Stops offers for {@code roles} (all of the framework's if none) until revived. */
  public CompletableFuture<Void> suppress(String... roles) {
    return send(Call.Type.SUPPRESS, fw -> Call.suppress(fw, List.of(roles)));
  }

  /**
   * Ends the framework: the master kills its tasks and forgets it. Once accepted the client stops
   * resubscribing; it still needs {@link #close()}.
   */
  public CompletableFuture<Void> teardown() {
    CompletableFuture<Void> result = new CompletableFuture<>();
    // Told before sending, because the master may close our stream before its 202 reaches us.
    loop.teardownStarted(result);
    send(Call.Type.TEARDOWN, Call::teardown).whenComplete((ok, err) -> {
      if (err != null) {
        result.completeExceptionally(err);
      } else {
        session = null;
        result.complete(null);
      }
    });
    return result;
  }

  /**
   * Drops the subscription and stops the client's threads. The framework is not torn down: the
   * master keeps it (and its tasks) for its {@code failover_timeout}, so a new client with the
   * same framework id can take over.
   */
  @Override
  public void close() {
    closed = true;
    session = null;
    loop.stop();
    watchdog.shutdownNow();
    events.shutdown();
    locator.close();
    if (!started) {
      terminated.complete(null);
    }
  }

  private CompletableFuture<Void> send(Call.Type type, Function<FrameworkId, Call> call) {
    Session s = session;
    if (s == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(type + " not sent: not subscribed to a master"));
    }
    HttpRequest request = HttpRequest.newBuilder(s.master.resolve(PATH))
        .timeout(requestTimeout)
        .header("Content-Type", format.mime)
        .header("Accept", format.mime)
        .header(SubscriptionLoop.STREAM_ID_HEADER, s.streamId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(format.encode(call.apply(s.frameworkId))))
        .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
      if (response.statusCode() / 100 != 2) {
        throw new SchedulerCallException(type.name(), response.statusCode(), response.body());
      }
      return null;
    });
  }

  /** Runs a scheduler callback on the event thread; a throwing scheduler must not stop delivery. */
  private void deliver(String what, Runnable callback) {
    if (events.isShutdown()) {
      return;
    }
    try {
      events.execute(() -> {
        try {
          callback.run();
        } catch (RuntimeException e) {
          log.error("Scheduler callback {} threw", what, e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closed meanwhile: nobody is listening any more.
    }
  }

  private void dispatch(Event event) {
    switch (event.type()) {
      case OFFERS -> deliver("offers", () -> scheduler.offers(event.offers().offers()));
      case RESCIND -> deliver("rescind", () -> scheduler.rescind(event.rescind().offerId()));
      case MESSAGE -> deliver("message", () -> scheduler.message(event.message().agentId(),
          event.message().executorId(), event.message().data() == null ? new byte[0] : event.message().data().toArray()));
      case FAILURE -> deliver("failure", () -> scheduler.executorFailed(event.failure().agentId(),
          event.failure().executorId(), event.failure().status()));
      case INVERSE_OFFERS -> deliver("inverse offers",
          () -> scheduler.inverseOffers(event.inverseOffers().inverseOffers()));
      case RESCIND_INVERSE_OFFER -> deliver("rescind inverse offer",
          () -> scheduler.rescindInverseOffer(event.rescindInverseOffer().inverseOfferId()));
      case UPDATE -> deliver("update", () -> {
        TaskStatus status = event.update().status();
        // With automatic acknowledgement, an update seen before is one whose acknowledgement was
        // lost (say, in a master failover) and that the agent resent: acknowledge it again, but do
        // not hand it to the scheduler twice. Delivery is at least once on the wire and exactly
        // once to the scheduler.
        if (autoAcknowledge && status.uuid() != null && handledUpdates.contains(status.uuid())) {
          acknowledge(status);
          return;
        }
        scheduler.update(status);
        reconciler.seen(status);
        if (status.uuid() != null) {
          handledUpdates.add(status.uuid());
        }
        // Acknowledged only after the scheduler saw it without throwing: an ack tells the agent
        // the update was handled, and an unhandled one should come back.
        if (autoAcknowledge) {
          acknowledge(status).exceptionally(e -> {
            log.warn("Acknowledging {} of task {} failed: {}", status.state(), status.taskId(), e.getMessage());
            return null;
          });
        }
      });
      case HEARTBEAT -> deliver("heartbeat", scheduler::heartbeat);
      case ERROR -> {
        String message = event.error() == null ? "unknown error" : event.error().message();
        // The master sends ERROR when it is done with this scheduler (removed, failed over to
        // another instance); resubscribing would be refused again, so stop here.
        log.warn("Master sent ERROR: {}", message);
        session = null;
        loop.stop();
        deliver("error", () -> scheduler.error(message));
      }
      default -> log.debug("Ignoring {} event", event.type());
    }
  }

  /** Receives the subscription loop's reports on its thread and hands them to the scheduler. */
  private final class LoopListener implements SubscriptionLoop.Listener {
    @Override
    public void subscribed(URI master, String streamId, Event event) {
      Event.Subscribed s = event.subscribed();
      boolean resubscribed = frameworkInfo.id() != null;
      // Remember the id so every later SUBSCRIBE fails over to this framework.
      frameworkInfo = frameworkInfo.withId(s.frameworkId());
      session = new Session(master, streamId, s.frameworkId());
      log.info("Subscribed to {} as framework {}", master, s.frameworkId());
      deliver("subscribed", () -> scheduler.subscribed(s.frameworkId(), s.masterInfo()));
      if (resubscribed && reconcileOnResubscribe) {
        // Updates the master made while we were away (agents lost, tasks gone) reach only a
        // subscribed framework: ask about every task we believe alive until all are answered.
        deliver("reconcile", reconciler::resubscribed);
      }
    }

    @Override
    public void event(Event event) {
      dispatch(event);
    }

    @Override
    public void disconnected(String reason) {
      session = null;
      deliver("disconnected", () -> scheduler.disconnected(reason));
    }

    @Override
    public void refused(String message) {
      session = null;
      deliver("error", () -> scheduler.error(message));
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Options of a {@link SchedulerClient}; defaults suit a production framework. */
  public static final class Builder {
    private final String masterUrl;
    private final MasterDetector detector;
    private final FrameworkInfo frameworkInfo;
    private final Scheduler scheduler;
    private boolean autoAcknowledge = true;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private HttpClient http;
    private WireFormat format = WireFormat.JSON;
    private boolean reconcileOnResubscribe = true;

    private Builder(String masterUrl, MasterDetector detector, FrameworkInfo frameworkInfo, Scheduler scheduler) {
      this.masterUrl = masterUrl;
      this.detector = detector;
      this.frameworkInfo = Objects.requireNonNull(frameworkInfo, "frameworkInfo");
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Acknowledge every update after {@link Scheduler#update} returns (default true). */
    public Builder autoAcknowledge(boolean value) {
      this.autoAcknowledge = value;
      return this;
    }

    /** Delay before the first resubscription attempt and the cap it doubles up to (0.5 s, 30 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    /** Limit on each call, and on the wait for SUBSCRIBE's response headers (default 30 s). */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = value;
      return this;
    }

    /** JSON (default) or protobuf on the wire; the scheduler sees the same calls and events. */
    public Builder wireFormat(WireFormat value) {
      this.format = Objects.requireNonNull(value, "wireFormat");
      return this;
    }

    /**
     * After subscribing again with its id (failover, a new leader), ask the master for the state
     * of every task (implicit reconciliation, as Mesos advises). Default true.
     */
    public Builder reconcileOnResubscribe(boolean value) {
      this.reconcileOnResubscribe = value;
      return this;
    }

    /** Uses this HTTP client; it must not follow redirects by itself. */
    public Builder httpClient(HttpClient value) {
      this.http = value;
      return this;
    }

    /** Builds a client that has not started yet, so the scheduler can be handed its reference first. */
    public SchedulerClient build() {
      return new SchedulerClient(this);
    }
  }
}
