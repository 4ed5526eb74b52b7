package dev.terrace.master;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.AllocationInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Url;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.allocator.Allocator;
import dev.terrace.master.allocator.AllocatorThread;
import dev.terrace.master.registry.FrameworkRecord;
import dev.terrace.master.registry.QuotaRecord;
import dev.terrace.master.registry.Registry;
import dev.terrace.master.registry.RegistrySnapshot;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.AgentLink;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.FrameworkLink;
import dev.terrace.master.state.TaskEntry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leading master's state and its every change: agents, frameworks, tasks and offers. One
 * instance per term of leadership, owned by one Vert.x context: every method runs there, so there
 * are no locks. A master that loses leadership drops its instance; the next term starts afresh
 * and rebuilds from agents re-registering.
 *
 * <p>Framework calls arrive already authenticated to a subscribed framework by the HTTP edge
 * ({@code SchedulerApi}); this class does the Mesos semantics.
 */
public final class Master {
  private static final Logger LOG = LoggerFactory.getLogger(Master.class);
  /** Mesos' max_completed_frameworks. */
  private static final int MAX_COMPLETED_FRAMEWORKS = 50;

  private final Vertx vertx;
  private final MasterConfig config;
  private final MasterInfo info;
  private final AllocatorThread allocator;
  private final Clock clock;
  private final Instant electedTime;
  private final Map<AgentId, AgentEntry> agents = new LinkedHashMap<>();
  private final Map<FrameworkId, FrameworkEntry> frameworks = new LinkedHashMap<>();
  private final Deque<FrameworkEntry> completedFrameworks = new ArrayDeque<>();
  private final OfferBook offerBook = new OfferBook(this);
  private final AgentAdministration admin;
  private final Maintenance maintenance;
  private final AgentRemoval agentRemoval = new AgentRemoval(this);
  private final ExecutorBook executors = new ExecutorBook(this);
  private final AllocationRuns allocationRuns = new AllocationRuns(this);
  private final Reservations reservations;
  /** Copy-on-write: an observer may remove itself while being told something. */
  private final List<MasterObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Agents admitted before this term that have not re-registered yet. */
  final Map<AgentId, AgentInfo> expectedAgents = new LinkedHashMap<>();
  /** Frameworks torn down before this term (from the registry): they may not resubscribe. */
  private final java.util.Set<FrameworkId> completedFrameworkIds = new java.util.HashSet<>();
  private final RegistryWrites registry;
  private final Reconciliation reconciliation = new Reconciliation(this);
  private final AllocationPolicy policy;
  /** Agents given up on, and since when: one that comes back is admitted and reconciled. */
  final Map<AgentId, Instant> unreachableAgents = new LinkedHashMap<>();
  private final IdSequences ids;
  private boolean stopped;
  private final dev.terrace.master.metrics.MasterMetrics metrics;

  /**
   * A new term of leadership over the state recovered from the registry: admitted agents are
   * expected back (and become unreachable if they do not re-register in time), frameworks get
   * their failover timeout (at least the re-registration timeout) to resubscribe, and torn-down
   * frameworks stay refused.
   */
  public Master(Vertx vertx, MasterConfig config, MasterInfo info, Allocator allocator, Clock clock,
      Registry registry, RegistrySnapshot recovered, java.util.function.Consumer<Throwable> registryFailed,
      dev.terrace.master.metrics.MasterMetrics metrics) {
    this(vertx, config, info, allocator, clock, registry, recovered, registryFailed, metrics, new IdSequences());
  }

  /** As above, minting ids from {@code ids}, which outlive this term (see {@link IdSequences}). */
  public Master(Vertx vertx, MasterConfig config, MasterInfo info, Allocator allocator, Clock clock,
      Registry registry, RegistrySnapshot recovered, java.util.function.Consumer<Throwable> registryFailed,
      dev.terrace.master.metrics.MasterMetrics metrics, IdSequences ids) {
    this.ids = ids;
    this.vertx = vertx;
    this.metrics = metrics;
    this.config = config;
    this.info = info;
    this.allocator = new AllocatorThread(allocator, "terrace-allocator");
    this.clock = clock;
    this.electedTime = clock.instant();
    this.registry = new RegistryWrites(registry, vertx.getOrCreateContext(), registryFailed);
    this.policy = new AllocationPolicy(this.registry, this.allocator, this::scheduleAllocation);
    this.admin = new AgentAdministration(this, this.registry);
    this.maintenance = new Maintenance(this, this.registry);
    this.reservations = new Reservations(this, this.registry);
    recover(recovered);
  }

  private void recover(RegistrySnapshot snapshot) {
    completedFrameworkIds.addAll(snapshot.completedFrameworks());
    admin.recover(snapshot.operated());
    maintenance.recover(snapshot.maintenance(), snapshot.operated());
    reservations.recover(snapshot.operated());
    policy.recover(snapshot);
    snapshot.unreachable().forEach((id, u) -> unreachableAgents.put(id, u.since()));
    expectedAgents.putAll(snapshot.agents());
    for (FrameworkRecord record : snapshot.frameworks().values()) {
      FrameworkInfo fwInfo = record.info();
      FrameworkEntry fw = new FrameworkEntry(fwInfo.id(), fwInfo, record.registeredTime());
      frameworks.put(fw.id, fw);
      allocator.addFramework(fw.id, fwInfo.effectiveRoles(), List.of());
      allocator.setFrameworkActive(fw.id, false);
      startFailoverTimer(fw, Math.max(fwInfo.failoverTimeout() == null ? 0 : fwInfo.failoverTimeout(),
          config.agentReregisterTimeout().toSeconds()));
    }
    if (!expectedAgents.isEmpty()) {
      LOG.info("Recovered {} agents, {} frameworks; agents have {} to re-register",
          expectedAgents.size(), frameworks.size(), config.agentReregisterTimeout());
      vertx.setTimer(config.agentReregisterTimeout().toMillis(), t -> {
        for (AgentId id : List.copyOf(expectedAgents.keySet())) {
          LOG.warn("Agent {} did not re-register after the failover; it is unreachable", id);
          expectedAgents.remove(id);
          Instant since = clock.instant();
          unreachableAgents.put(id, since);
          registry.write(r -> r.markAgentUnreachable(id, since));
        }
      });
    }
  }


  /** The process' metrics (counters are fed from here; gauges are computed from this state). */
  public dev.terrace.master.metrics.MasterMetrics metrics() {
    return metrics;
  }

  /** The ids this master mints, shared by every term of its process. */
  IdSequences ids() {
    return ids;
  }

  public MasterInfo info() {
    return info;
  }

  public MasterConfig config() {
    return config;
  }

  public Instant electedTime() {
    return electedTime;
  }

  public Collection<AgentEntry> agents() {
    return agents.values();
  }

  public Collection<FrameworkEntry> frameworks() {
    return frameworks.values();
  }

  public Collection<FrameworkEntry> completedFrameworks() {
    return completedFrameworks;
  }

  public Map<AgentId, Instant> unreachableAgents() {
    return unreachableAgents;
  }

  public FrameworkEntry framework(FrameworkId id) {
    return frameworks.get(id);
  }

  public boolean isCompletedFramework(FrameworkId id) {
    return completedFrameworkIds.contains(id) || completedFrameworks.stream().anyMatch(f -> f.id.equals(id));
  }

  /** Ends this term: no further offers, kills or messages; links are closed. */
  public void stop() {
    stopped = true;
    allocator.close();
    observers.forEach(MasterObserver::stopped);
    observers.clear();
    frameworks.values().forEach(f -> {
      if (f.link() != null) {
        f.link().close();
      }
    });
    agents.values().forEach(a -> {
      if (a.link() != null) {
        a.link().close("master lost leadership");
      }
    });
  }

  // ---------------------------------------------------------------- agents

  /**
   * Admits an agent: a new one gets a fresh id; one that names its id (it restarted, lost its
   * connection, or this master is new since a failover) keeps it, with the tasks it reports.
   */
  public AgentId registerAgent(AgentMessage.Register msg, AgentLink link) {
    AgentInfo given = msg.agentInfo();
    AgentId id = given.id() != null ? given.id() : ids.nextAgent(info);
    if (admin.isGone(id)) {
      LOG.warn("Agent {} at {} was marked gone; telling it to shut down", id, given.hostname());
      msg.frameworks().forEach(f -> link.send(new MasterMessage.ShutdownFramework(f.id())));
      link.close("Agent " + id.value() + " was marked gone by an operator");
      return null;
    }
    if (!maintenance.mayRegister(given.hostname())) {
      LOG.warn("Agent {} at {} is on a machine down for maintenance; refused", id, given.hostname());
      link.close("Machine " + given.hostname() + " is down for maintenance");
      return null;
    }
    recoverFrameworks(msg.frameworks());
    boolean wasUnreachable = false;
    AgentEntry existing = agents.get(id);
    if (existing != null) {
      if (existing.link() != null && existing.link() != link) {
        existing.link().close("agent reconnected on another channel");
      }
      if (existing.reregisterTimer >= 0) {
        vertx.cancelTimer(existing.reregisterTimer);
        existing.reregisterTimer = -1;
      }
      existing.setLink(link);
      allocator.setAgentActive(id, admin.offerable(id));
      LOG.info("Agent {} ({}) reconnected", id, given.hostname());
      reconciliation.reconcileAgentTasks(existing, msg.tasks());
    } else {
      AgentEntry entry = new AgentEntry(given.withId(id), msg.version(), link, clock.instant());
      entry.total = reservations.applyTo(id, entry.total);
      agents.put(id, entry);
      wasUnreachable = unreachableAgents.remove(id) != null;
      if (wasUnreachable) {
        LOG.info("Unreachable agent {} is back", id);
      }
      allocator.addAgent(id, entry.total, Resources.empty(), entry.info.attributes());
      if (!admin.offerable(id)) {
        allocator.setAgentActive(id, false);
      }
      observers.forEach(o -> o.agentAdded(entry));
      LOG.info("Agent {} at {} registered with {}", id, given.hostname(), entry.total);
    }
    for (AgentMessage.Task t : msg.tasks()) {
      reconciliation.adoptTask(id, t, wasUnreachable);
    }
    executors.adopt(id, msg.executors(), existing == null);
    AgentInfo admitted = agents.get(id).info;
    boolean known = expectedAgents.remove(id) != null || existing != null;
    if (known && !wasUnreachable) {
      link.send(new MasterMessage.Registered(id, info));
    } else {
      // A new (or returning unreachable) agent is told it is in only once the registry says so.
      // No offers until then either: a task launched on it before REGISTERED would reach an
      // agent that does not know its own id yet.
      allocator.setAgentActive(id, false);
      registry.write(r -> r.admitAgent(admitted)).onSuccess(v -> {
        link.send(new MasterMessage.Registered(id, info));
        AgentEntry now = agents.get(id);
        if (now != null && now.link() == link) {
          allocator.setAgentActive(id, admin.offerable(id));
          scheduleAllocation();
        }
      });
    }
    maintenance.sendInverseOffers(agents.get(id));
    scheduleAllocation();
    return id;
  }

  /**
   * Frameworks an agent knows that this master does not (it was elected since they subscribed)
   * are recovered, disconnected, until they resubscribe. They get their failover timeout, but at
   * least the agent reconnect timeout: a master failover must not cost a framework its tasks
   * just because its scheduler had not reconnected yet.
   */
  private void recoverFrameworks(List<FrameworkInfo> known) {
    for (FrameworkInfo fwInfo : known) {
      if (fwInfo.id() != null && !frameworks.containsKey(fwInfo.id())
          && !isCompletedFramework(fwInfo.id())) {
        FrameworkEntry fw = new FrameworkEntry(fwInfo.id(), fwInfo, clock.instant());
        frameworks.put(fw.id, fw);
        allocator.addFramework(fw.id, fwInfo.effectiveRoles(), List.of());
        allocator.setFrameworkActive(fw.id, false);
        double timeout = Math.max(fwInfo.failoverTimeout() == null ? 0 : fwInfo.failoverTimeout(),
            config.agentReconnectTimeout().toSeconds());
        LOG.info("Framework {} recovered from an agent; {} s to resubscribe", fw.id, timeout);
        FrameworkRecord record = new FrameworkRecord(fwInfo, fw.registeredTime, clock.instant());
        registry.write(r -> r.putFramework(record));
        startFailoverTimer(fw, timeout);
      }
    }
  }

  public Map<String, Double> weights() {
    return policy.weights();
  }

  public Map<String, QuotaRecord> quota() {
    return policy.quota();
  }

  /** UPDATE_WEIGHTS: see {@link AllocationPolicy#updateWeights}. */
  public Future<Void> updateWeights(Map<String, Double> changed) {
    return policy.updateWeights(changed);
  }

  /** UPDATE_QUOTA: see {@link AllocationPolicy#updateQuota}. */
  public Future<Void> updateQuota(String role, QuotaRecord q) {
    return policy.updateQuota(role, q);
  }

  /** Why a framework gets no offers, answered by the allocator in line with its events. */
  public java.util.concurrent.CompletableFuture<dev.terrace.master.allocator.Explanation> explain(
      FrameworkId framework) {
    return allocator.query(a -> a.explain(framework));
  }

  public java.util.concurrent.CompletableFuture<dev.terrace.master.allocator.Explanation> explainRole(
      String role) {
    return allocator.query(a -> a.explainRole(role));
  }

  /** Books a live task on its framework and its agent. */
  void addTask(FrameworkEntry fw, TaskEntry task) {
    fw.tasks.put(task.info.taskId(), task);
    observers.forEach(o -> o.taskAdded(task));
    AgentEntry agent = agents.get(task.agentId);
    if (agent != null) {
      agent.tasks.put(List.of(fw.id.value(), task.info.taskId().value()), task);
    }
  }

  /** Records a task's new status and tells the observers. */
  void updateTask(TaskEntry task, TaskStatus status, TaskState latest) {
    task.update(status, latest);
    observers.forEach(o -> o.taskUpdated(task, status));
  }

  /** Follows every change from now on (until removed or this master stops). */
  public void addObserver(MasterObserver observer) {
    observers.add(observer);
  }

  public void removeObserver(MasterObserver observer) {
    observers.remove(observer);
  }

  List<MasterObserver> observers() {
    return observers;
  }

  /** Moves a task that ended (or was given up on) to its framework's completed tasks. */
  void completeTask(FrameworkEntry fw, TaskEntry task) {
    fw.complete(task);
    metrics.taskCompleted(task.state());
    AgentEntry agent = agents.get(task.agentId);
    if (agent != null) {
      agent.tasks.remove(List.of(fw.id.value(), task.info.taskId().value()));
      admin.checkDrained(agent.info.id());
    }
  }

  /** The agent's channel closed: it gets no offers, and is given up on after a timeout. */
  public void agentDisconnected(AgentId id, AgentLink link) {
    AgentEntry agent = agents.get(id);
    if (agent == null || agent.link() != link || stopped) {
      return;
    }
    agent.setLink(null);
    allocator.setAgentActive(id, false);
    offerBook.rescindAgent(id);
    LOG.warn("Agent {} disconnected; waiting {} for it to come back", id, config.agentReconnectTimeout());
    agent.reregisterTimer = vertx.setTimer(config.agentReconnectTimeout().toMillis(), t -> {
      agent.reregisterTimer = -1;
      markAgentUnreachable(id);
    });
  }

  /** The agent stopped answering pings: unreachable now, without a further grace period. */
  public void agentUnresponsive(AgentId id, AgentLink link) {
    AgentEntry agent = agents.get(id);
    if (agent == null || agent.link() != link || stopped) {
      return;
    }
    agent.setLink(null);
    markAgentUnreachable(id);
  }

  private void markAgentUnreachable(AgentId id) {
    if (!agents.containsKey(id) || stopped) {
      return;
    }
    LOG.warn("Agent {} is unreachable; so are its tasks", id);
    Instant since = clock.instant();
    unreachableAgents.put(id, since);
    registry.write(r -> r.markAgentUnreachable(id, since));
    removeAgent(id, TaskState.TASK_UNREACHABLE, TaskStatus.Reason.REASON_AGENT_REMOVED,
        "Agent " + id + " is unreachable");
  }

  /** See {@link AgentRemoval#remove}. */
  void removeAgent(AgentId id, TaskState awareState, TaskStatus.Reason reason, String message) {
    agentRemoval.remove(agents.remove(id), id, awareState, reason, message);
  }

  /** The operator deactivated (or began draining) the agent: no offers from it from now on. */
  void deactivated(AgentId id) {
    allocator.setAgentActive(id, false);
    offerBook.rescindAgent(id);
  }

  void reactivated(AgentId id) {
    AgentEntry agent = agents.get(id);
    if (agent != null && agent.connected()) {
      allocator.setAgentActive(id, true);
      scheduleAllocation();
    }
  }

  /** DEACTIVATE_AGENT, REACTIVATE_AGENT, DRAIN_AGENT, MARK_AGENT_GONE. */
  public AgentAdministration admin() {
    return admin;
  }

  /** The maintenance schedule, machines down, inverse offers. */
  public Maintenance maintenance() {
    return maintenance;
  }

  /** Dynamic reservations: RESERVE / UNRESERVE and the operator's RESERVE_RESOURCES. */
  public Reservations reservations() {
    return reservations;
  }

  /** Custom executors: see {@link ExecutorBook}. */
  ExecutorBook executors() {
    return executors;
  }

  /** MESSAGE from a framework to one of its executors. */
  public void frameworkMessage(FrameworkEntry fw, Call.Message message) {
    executors.toExecutor(fw, message);
  }

  /** An agent's report about one of its custom executors. */
  public void executorEvent(AgentId agent, AgentMessage message) {
    if (message instanceof AgentMessage.ExecutorMessage m) {
      executors.fromExecutor(agent, m);
    } else if (message instanceof AgentMessage.ExecutorExited e) {
      executors.exited(agent, e);
    }
  }

  OfferBook offers() {
    return offerBook;
  }

  /** A status update from an agent: book it, recover resources once terminal, forward it. */
  public void statusUpdate(AgentId from, AgentMessage.StatusUpdate update) {
    FrameworkEntry fw = frameworks.get(update.frameworkId());
    if (fw == null) {
      LOG.info("Status update {} for unknown framework {}; telling agent {} to shut it down",
          update.status().state(), update.frameworkId(), from);
      AgentEntry agent = agents.get(from);
      if (agent != null && agent.link() != null && isCompletedFramework(update.frameworkId())) {
        agent.link().send(new MasterMessage.ShutdownFramework(update.frameworkId()));
      }
      metrics.statusUpdate(false);
      return;
    }
    TaskStatus status = update.status();
    TaskState latest = update.latestState() != null ? update.latestState() : status.state();
    TaskEntry task = fw.tasks.get(status.taskId());
    metrics.statusUpdate(task != null);
    if (task != null) {
      boolean wasTerminal = task.isTerminal();
      updateTask(task, status, latest);
      if (!wasTerminal && task.isTerminal()) {
        allocator.recoverResources(fw.id, task.agentId, task.resources, 0, clock.instant());
        completeTask(fw, task);
        scheduleAllocation();
        if (task.group != null && task.state() != TaskState.TASK_FINISHED) {
          // A task group lives and dies together (Mesos' default executor): one that failed or
          // was killed takes the rest with it.
          for (TaskEntry sibling : groupOf(fw, task)) {
            sendKill(fw, sibling, null);
          }
        }
      }
    }
    sendToFramework(fw, Event.update(status));
  }

  // ---------------------------------------------------------------- frameworks

  /**
   * Subscribes a framework. A framework that names an id it had (failover, reconnect) keeps its
   * tasks; its previous stream is closed, as one subscription per framework is allowed.
   */
  public FrameworkEntry subscribe(FrameworkInfo requested, FrameworkLink link) {
    FrameworkId id = requested.id() != null ? requested.id()
        : ids.nextFramework(info);
    FrameworkEntry fw = frameworks.get(id);
    boolean added = fw == null;
    if (fw == null) {
      fw = new FrameworkEntry(id, requested.withId(id), clock.instant());
      frameworks.put(id, fw);
      allocator.addFramework(id, fw.info.effectiveRoles(), List.of());
      LOG.info("Framework {} ({}) subscribed with roles {}", id, requested.name(), fw.info.effectiveRoles());
    } else {
      if (fw.link() != null) {
        fw.link().send(Event.error("Framework failed over"));
        fw.link().close();
      }
      if (fw.failoverTimer >= 0) {
        vertx.cancelTimer(fw.failoverTimer);
        fw.failoverTimer = -1;
      }
      fw.info = requested.withId(id);
      allocator.setFrameworkActive(id, true);
      LOG.info("Framework {} ({}) resubscribed", id, requested.name());
    }
    fw.setLink(link);
    FrameworkRecord record = new FrameworkRecord(fw.info, fw.registeredTime, clock.instant());
    registry.write(r -> r.putFramework(record));
    link.send(Event.subscribed(id, config.heartbeatInterval().toMillis() / 1000.0, info));
    FrameworkEntry subscribed = fw;
    observers.forEach(o -> {
      if (added) {
        o.frameworkAdded(subscribed);
      } else {
        o.frameworkUpdated(subscribed);
      }
    });
    scheduleAllocation();
    return fw;
  }

  /** The framework's stream closed: offers go back; it is torn down after its failover timeout. */
  public void frameworkDisconnected(FrameworkId id, FrameworkLink link) {
    FrameworkEntry fw = frameworks.get(id);
    if (fw == null || fw.link() != link || stopped) {
      return;
    }
    fw.setLink(null);
    allocator.setFrameworkActive(id, false);
    observers.forEach(o -> o.frameworkUpdated(fw));
    offerBook.rescindFramework(id);
    startFailoverTimer(fw);
  }

  private void startFailoverTimer(FrameworkEntry fw) {
    startFailoverTimer(fw, fw.info.failoverTimeout() == null ? 0 : fw.info.failoverTimeout());
  }

  private void startFailoverTimer(FrameworkEntry fw, double timeout) {
    LOG.info("Framework {} disconnected; failover timeout {} s", fw.id, timeout);
    long ms = Math.max(1, (long) (timeout * 1000));
    fw.failoverTimer = vertx.setTimer(ms, t -> {
      fw.failoverTimer = -1;
      if (!fw.connected()) {
        teardown(fw);
      }
    });
  }

  /** TEARDOWN: every task is shut down and the framework forgotten (kept among completed). */
  public void teardown(FrameworkEntry fw) {
    if (frameworks.remove(fw.id) == null) {
      return;
    }
    LOG.info("Tearing down framework {}", fw.id);
    offerBook.rescindFramework(fw.id);
    for (AgentEntry agent : agents.values()) {
      if (agent.link() != null) {
        agent.link().send(new MasterMessage.ShutdownFramework(fw.id));
      }
    }
    for (TaskEntry task : List.copyOf(fw.tasks.values())) {
      allocator.recoverResources(fw.id, task.agentId, task.resources, 0, clock.instant());
      updateTask(task, masterStatus(task.info.taskId(), task.agentId, TaskState.TASK_KILLED,
          TaskStatus.Reason.REASON_FRAMEWORK_REMOVED, "Framework was torn down"), TaskState.TASK_KILLED);
      completeTask(fw, task);
    }
    executors.frameworkRemoved(fw);
    allocator.removeFramework(fw.id);
    if (fw.failoverTimer >= 0) {
      vertx.cancelTimer(fw.failoverTimer);
    }
    if (fw.link() != null) {
      fw.link().close();
      fw.setLink(null);
    }
    registry.write(r -> r.removeFramework(fw.id));
    completedFrameworks.addLast(fw);
    observers.forEach(o -> o.frameworkRemoved(fw));
    while (completedFrameworks.size() > MAX_COMPLETED_FRAMEWORKS) {
      completedFrameworks.removeFirst();
    }
    scheduleAllocation();
  }

  public void accept(FrameworkEntry fw, Call.Accept accept) {
    new AcceptHandler(this, fw).accept(accept);
    // What the framework left unused goes to whoever may have it now, not at the next interval.
    scheduleAllocation();
  }

  public void decline(FrameworkEntry fw, Call.Decline decline) {
    double refuse = decline.filters() == null ? 5.0 : decline.filters().refuseSecondsOrDefault();
    offerBook.decline(fw, decline.offerIds(), refuse);
    scheduleAllocation();
  }

  /** KILL: the agent kills a known task; an unknown one is reported lost (or unknown). */
  public void kill(FrameworkEntry fw, Call.Kill kill) {
    TaskEntry task = fw.tasks.get(kill.taskId());
    if (task == null) {
      boolean aware = fw.info.hasCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE);
      TaskState state = aware ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST;
      sendToFramework(fw, Event.update(masterStatus(kill.taskId(), kill.agentId(), state,
          TaskStatus.Reason.REASON_RECONCILIATION, "Kill of an unknown task")));
      return;
    }
    for (TaskEntry t : task.group == null ? List.of(task) : groupOf(fw, task)) {
      sendKill(fw, t, kill.killPolicy());
    }
  }

  /** The live tasks of {@code task}'s group (it included). */
  private List<TaskEntry> groupOf(FrameworkEntry fw, TaskEntry task) {
    return fw.tasks.values().stream().filter(t -> task.group.equals(t.group)
        && t.agentId.equals(task.agentId)).toList();
  }

  /** Asks the task's agent to kill it, with {@code policy} or the task's own. */
  void killTask(FrameworkEntry fw, TaskEntry task, dev.terrace.common.model.KillPolicy policy) {
    sendKill(fw, task, policy);
  }

  private void sendKill(FrameworkEntry fw, TaskEntry task, dev.terrace.common.model.KillPolicy policy) {
    AgentEntry agent = agents.get(task.agentId);
    if (agent == null || agent.link() == null) {
      LOG.info("Kill of task {} deferred: agent {} is disconnected", task.info.taskId(), task.agentId);
      return;
    }
    agent.link().send(new MasterMessage.KillTask(fw.id, task.info.taskId(),
        policy != null ? policy : task.info.killPolicy()));
  }

  /**
   * SHUTDOWN of an executor. Terrace runs command tasks without a separate executor, and a
   * command task's executor id is its task id (as in Mesos' command executor), so this kills the
   * task with that id on that agent.
   */
  public void shutdownExecutor(FrameworkEntry fw, Call.Shutdown shutdown) {
    if (executors.shutdown(fw, shutdown.agentId(), shutdown.executorId())) {
      return;
    }
    TaskEntry task = fw.tasks.get(TaskId.of(shutdown.executorId().value()));
    if (task != null && task.agentId.equals(shutdown.agentId())) {
      kill(fw, new Call.Kill(task.info.taskId(), task.agentId, null));
    }
  }

  /**
   * UPDATE_FRAMEWORK: new roles, capabilities, name and suppressed roles take effect at once. The
   * id, user and principal cannot change. Returns the 400 message, or null when it took effect.
   */
  public String updateFramework(FrameworkEntry fw, Call.UpdateFramework update) {
    FrameworkInfo next = update.frameworkInfo();
    if (next.id() == null || !next.id().equals(fw.id)) {
      return "'update_framework.framework_info.id' must be the framework's id " + fw.id;
    }
    if (next.user() == null || !next.user().equals(fw.info.user())) {
      return "'framework_info.user' cannot change";
    }
    if (!java.util.Objects.equals(next.principal(), fw.info.principal())) {
      return "'framework_info.principal' cannot change";
    }
    if (next.name() == null) {
      return "Expecting 'framework_info.name' to be present";
    }
    fw.info = next;
    observers.forEach(o -> o.frameworkUpdated(fw));
    offerBook.rescindFramework(fw.id);
    allocator.updateFramework(fw.id, next.effectiveRoles(), update.suppressedRoles());
    FrameworkRecord record = new FrameworkRecord(next, fw.registeredTime, clock.instant());
    registry.write(r -> r.putFramework(record));
    scheduleAllocation();
    return null;
  }

  /** RECONCILE: see {@link Reconciliation#reconcile}. */
  public void reconcile(FrameworkEntry fw, Call.Reconcile reconcile) {
    reconciliation.reconcile(fw, reconcile);
  }

  /** RECONCILE_OPERATIONS: see {@link Reconciliation#reconcileOperations}. */
  public void reconcileOperations(FrameworkEntry fw, Call.ReconcileOperations call) {
    reconciliation.reconcileOperations(fw, call);
  }

  /** ACKNOWLEDGE: relayed to the agent, which stops resending that update. */
  public void acknowledge(FrameworkEntry fw, Call.Acknowledge ack) {
    AgentEntry agent = agents.get(ack.agentId());
    if (agent != null && agent.link() != null) {
      agent.link().send(new MasterMessage.Acknowledge(fw.id, ack.taskId(), ack.uuid()));
    }
  }

  /** ACCEPT_INVERSE_OFFERS and DECLINE_INVERSE_OFFERS: see {@link Maintenance#respond}. */
  public void respondToInverseOffers(FrameworkEntry fw, List<OfferId> ids, boolean accepted) {
    maintenance.respond(fw, ids, accepted);
  }

  public void revive(FrameworkEntry fw, List<String> roles) {
    allocator.revive(fw.id, roles);
    scheduleAllocation();
  }

  public void suppress(FrameworkEntry fw, List<String> roles) {
    allocator.suppress(fw.id, roles);
  }

  // ---------------------------------------------------------------- offers

  /** Asks for an allocation soon (see {@link AllocationRuns}). */
  public void scheduleAllocation() {
    allocationRuns.schedule();
  }

  /** Runs one allocation now and makes its offers; completes once they are made. */
  public Future<Void> allocate() {
    return allocationRuns.run();
  }

  boolean isStopped() {
    return stopped;
  }

  // ---------------------------------------------------------------- used by AcceptHandler

  Offer takeOffer(FrameworkEntry fw, OfferId id) {
    return offerBook.take(fw, id);
  }

  public AgentEntry agent(AgentId id) {
    return agents.get(id);
  }

  AllocatorThread allocator() {
    return allocator;
  }

  Vertx vertx() {
    return vertx;
  }

  Clock clock() {
    return clock;
  }

  void sendToFramework(FrameworkEntry fw, Event event) {
    if (fw.link() != null && !stopped) {
      fw.link().send(event);
    }
  }

  TaskStatus masterStatus(TaskId task, AgentId agent, TaskState state, TaskStatus.Reason reason,
      String message) {
    // Master-generated updates carry no uuid: there is no agent to stop resending them.
    return TaskStatus.of(task, state, TaskStatus.Source.SOURCE_MASTER, reason, message, agent)
        .withoutUuid();
  }
}
