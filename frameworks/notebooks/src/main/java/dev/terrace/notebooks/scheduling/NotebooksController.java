package dev.terrace.notebooks.scheduling;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.notebooks.NotebooksConfig.NotebookSettings;
import dev.terrace.notebooks.state.Notebook;
import dev.terrace.notebooks.state.NotebookStore;
import dev.terrace.sdk.OfferAnswers;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.sdk.ha.LeaderActor;
import dev.terrace.sdk.ha.LeaderSession;
import dev.terrace.sdk.http.ApiException;
import dev.terrace.sdk.http.HaInstance;
import dev.terrace.sdk.placement.HostPorts;
import dev.terrace.sdk.placement.OfferFit;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's brain for notebooks, on the {@link LeaderActor} thread: launches a wanted user's
 * Jupyter server from a fitting offer (on the agent that holds the user's files, once there is
 * one), follows its task, asks each running server for its activity every tick and stops the ones
 * idle longer than the timeout. Notebooks are written to ZooKeeper before their tasks launch.
 */
public final class NotebooksController implements Scheduler, HaInstance.Reign {
  private static final Logger LOG = LoggerFactory.getLogger(NotebooksController.class);
  private static final long REVIVE_EVERY_MS = 2_000;
  private static final Set<TaskState> LIVE = Set.of(TaskState.TASK_STAGING, TaskState.TASK_STARTING,
      TaskState.TASK_RUNNING, TaskState.TASK_KILLING);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LeaderSession session;
  private final LeaderActor actor;
  private final NotebookStore store;
  private final NotebookSettings settings;
  private final String role;
  private final Clock clock;
  private final Duration tick;
  private final JupyterStatus jupyter = new JupyterStatus();
  private final OfferAnswers kills;
  private final Map<String, Notebook> notebooks = new TreeMap<>();
  private final Map<String, String> waiting = new HashMap<>();
  private SchedulerClient client;
  private long lastRevive;

  public NotebooksController(NotebookStore store, NotebookSettings settings, String role, Clock clock, Duration tick,
      Runnable onFenced) {
    this.store = store;
    this.settings = settings;
    this.role = role;
    this.clock = clock;
    this.tick = tick;
    this.session = new LeaderSession("terrace-notebooks", onFenced);
    this.actor = session.actor();
    this.kills = new OfferAnswers(clock, Duration.ofSeconds(5));
  }

  public void start(SchedulerClient schedulerClient) {
    this.client = schedulerClient;
    session.start(schedulerClient, () -> {
      notebooks.putAll(store.load());
      LOG.info("Notebooks framework leads with {} notebooks", notebooks.size());
    }, tick, this::tick);
  }

  @Override
  public void stop() {
    session.stop();
  }

  /** The framework id and master of the subscription, once subscribed. */
  public LeaderSession session() {
    return session;
  }

  // ---- API ----

  /** Starts the user's server (creating the notebook and its token the first time). */
  public CompletableFuture<NotebookView> start(String user) {
    return actor.call(() -> {
      Notebook n = notebooks.get(user);
      if (n == null) {
        n = Notebook.created(user, HexFormat.of().formatHex(token()));
      }
      if (Notebook.STOPPING.equals(n.state())) {
        throw new ApiException(409, "the notebook of " + user + " is stopping; start it again once it stopped");
      }
      if (Notebook.STOPPED.equals(n.state())) {
        n = n.wanted();
        save(n);
        reviveSoon();
      }
      return NotebookView.of(n, true);
    });
  }

  /** Stops the user's server; the working directory stays for the next start. */
  public CompletableFuture<NotebookView> stop(String user) {
    return actor.call(() -> {
      Notebook n = notebook(user);
      if (n.taskId() == null) {
        if (!Notebook.STOPPED.equals(n.state())) {
          n = n.stopped("stopped by request");
          save(n);
        }
      } else if (!Notebook.STOPPING.equals(n.state())) {
        n = n.stopping("stopped by request");
        save(n);
        sendKill(n);
      }
      return NotebookView.of(n, false);
    });
  }

  public CompletableFuture<NotebookView> show(String user) {
    return actor.call(() -> NotebookView.of(notebook(user), true));
  }

  public CompletableFuture<List<NotebookView>> list() {
    return actor.call(() -> notebooks.values().stream().map(n -> NotebookView.of(n, false)).toList());
  }

  // ---- Scheduler callbacks ----

  @Override
  public void subscribed(FrameworkId id, MasterInfo master) {
    session.subscribed(id, master);
    actor.execute(() -> {
      List<Call.Reconcile.ReconcileTask> tasks = notebooks.values().stream().filter(n -> n.taskId() != null)
          .map(n -> new Call.Reconcile.ReconcileTask(TaskId.of(n.taskId()),
              n.agentId() == null ? null : AgentId.of(n.agentId())))
          .toList();
      LOG.info("Subscribed as {}; reconciling {} notebook servers", id, tasks.size());
      if (!tasks.isEmpty()) {
        OfferAnswers.quietly("reconcile", client.reconcile(tasks));
      }
      OfferAnswers.quietly("revive", client.revive());
    });
  }

  @Override
  public void offers(List<Offer> offers) {
    actor.execute(() -> placeOn(offers));
  }

  @Override
  public void update(TaskStatus status) {
    actor.execute(() -> updated(status));
  }

  // ---- the actor's work ----

  private void placeOn(List<Offer> offers) {
    long now = clock.millis();
    Map<Offer, Resources> left = new HashMap<>();
    Map<Offer, Set<Integer>> taken = new HashMap<>();
    Map<Offer, List<TaskInfo>> launches = new HashMap<>();
    offers.forEach(o -> {
      left.put(o, Resources.of(o.resources()));
      taken.put(o, new HashSet<>());
    });
    Map<String, Double> scalars = Map.of("cpus", settings.cpus(), "mem", settings.mem());
    for (Notebook n : List.copyOf(notebooks.values())) {
      if (!Notebook.STARTING.equals(n.state()) || n.taskId() != null) {
        continue;
      }
      List<String> reasons = new ArrayList<>();
      for (Offer o : offers) {
        String why = n.agentId() != null && !n.agentId().equals(o.agentId().value())
            ? "the working directory of " + n.user() + " is on agent " + n.hostname()
            : OfferFit.refusal(role, scalars, List.of(), o, left.get(o), List.of());
        Optional<List<Integer>> port = why != null ? Optional.empty()
            : HostPorts.pick(List.of(0), left.get(o).ranges("ports"), taken.get(o));
        if (why == null && port.isEmpty()) {
          why = "no free host port";
        }
        if (why != null) {
          reasons.add(o.hostname() + ": " + why);
          continue;
        }
        int p = port.get().get(0);
        Notebook launched = n.launched(NotebookTasks.taskId(n.user(), n.runs() + 1), o.agentId().value(),
            o.hostname(), p, now);
        save(launched); // before the launch
        taken.get(o).add(p);
        left.put(o, left.get(o).minus(Resources.of(List.of(
            dev.terrace.common.model.Resource.scalar("cpus", settings.cpus()),
            dev.terrace.common.model.Resource.scalar("mem", settings.mem())))));
        launches.computeIfAbsent(o, x -> new ArrayList<>())
            .add(NotebookTasks.task(settings, role, n.user(), n.token(), launched.taskId(), o, p));
        LOG.info("Launching the notebook of {} on {}:{}", n.user(), o.hostname(), p);
        break;
      }
      if (notebooks.get(n.user()).taskId() == null) {
        waiting.put(n.user(), reasons.isEmpty() ? "no offer" : String.join("; ", reasons));
      } else {
        waiting.remove(n.user());
      }
    }
    OfferAnswers.send(client, offers, launches, waiting.isEmpty() ? 30.0 : 2.0, this::update);
  }

  private void updated(TaskStatus status) {
    String taskId = status.taskId().value();
    Notebook n = NotebookTasks.userOf(taskId).map(notebooks::get).orElse(null);
    if (n == null || !taskId.equals(n.taskId())) {
      if (LIVE.contains(status.state())) {
        killUnknown(status); // a server no notebook knows (any more): it must not keep running
      }
      return;
    }
    TaskState state = status.state();
    if (state == TaskState.TASK_RUNNING && Boolean.TRUE.equals(status.healthy())
        && Notebook.STARTING.equals(n.state())) {
      save(n.running()); // answering GET /api: the user can open it now
    } else if (!LIVE.contains(state)) {
      String reason = Notebook.STOPPING.equals(n.state()) ? n.stopReason()
          : "the server ended " + state + (status.message() == null ? "" : ": " + status.message());
      LOG.info("Notebook of {} stopped ({})", n.user(), reason);
      kills.ended(taskId);
      save(n.stopped(reason));
    }
  }

  private void tick() {
    long now = clock.millis();
    for (Notebook n : notebooks.values()) {
      if (n.isRunning()) {
        String taskId = n.taskId();
        jupyter.fetch(n.hostname(), n.port(), n.token()).whenComplete((s, err) -> {
          if (err == null) {
            actor.execute(() -> checkIdle(n.user(), taskId, s));
          } else {
            LOG.debug("Notebook of {} did not report its status: {}", n.user(), err.getMessage());
          }
        });
      } else if (Notebook.STOPPING.equals(n.state())) {
        sendKill(n);
      } else if (Notebook.STARTING.equals(n.state()) && n.taskId() == null && now - lastRevive > REVIVE_EVERY_MS) {
        reviveSoon();
      }
    }
  }

  /** Stops the server when nobody is connected and its last activity is older than the timeout. */
  private void checkIdle(String user, String taskId, JupyterStatus.Status s) {
    Notebook n = notebooks.get(user);
    if (n == null || !n.isRunning() || !taskId.equals(n.taskId())) {
      return;
    }
    long last = Math.max(s.lastActivity().toEpochMilli(), n.startedAt() == null ? 0 : n.startedAt());
    if (n.lastActivity() == null || last > n.lastActivity()) {
      n = n.active(last);
      notebooks.put(user, n); // kept in memory: a new leader starts counting from the server's answer
    }
    long idleMs = clock.millis() - last;
    if (s.connections() == 0 && idleMs > settings.idleTimeout().toMillis()) {
      String reason = "idle for " + Duration.ofMillis(idleMs).toMinutes() + " min (timeout "
          + settings.idleTimeout().toMinutes() + " min)";
      LOG.info("Stopping the notebook of {}: {}", user, reason);
      n = n.stopping(reason);
      save(n);
      sendKill(n);
    }
  }

  private void save(Notebook n) {
    store.save(n);
    notebooks.put(n.user(), n);
  }

  private Notebook notebook(String user) {
    Notebook n = notebooks.get(user);
    if (n == null) {
      throw new ApiException(404, "no notebook for user " + user);
    }
    return n;
  }

  private void reviveSoon() {
    lastRevive = clock.millis();
    if (client != null && client.isSubscribed()) {
      OfferAnswers.quietly("revive", client.revive());
    }
  }

  private void sendKill(Notebook n) {
    kills.kill(client, TaskId.of(n.taskId()), n.agentId() == null ? null : AgentId.of(n.agentId()));
  }

  private void killUnknown(TaskStatus status) {
    LOG.debug("Killing task {}: no notebook knows it", status.taskId().value());
    kills.kill(client, status.taskId(), status.agentId());
  }

  private static byte[] token() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return b;
  }
}
