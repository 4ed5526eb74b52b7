package dev.terrace.services.scheduling;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.sdk.ha.LeaderActor;
import dev.terrace.sdk.http.ApiException;
import dev.terrace.sdk.http.HaInstance;
import dev.terrace.sdk.placement.OfferFit;
import dev.terrace.services.spec.ServiceSpec;
import dev.terrace.services.spec.ServiceSpecValidator;
import dev.terrace.services.state.Instance;
import dev.terrace.services.state.ServiceRecord;
import dev.terrace.services.state.ServiceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's brain for services: keeps each service at its instance count and version, one
 * {@link DeploymentPlan} step at a time, on the {@link LeaderActor} thread. Instances are written
 * to ZooKeeper before their tasks launch and forgotten after they end; an instance that fails
 * (not one killed on purpose, nor one lost with its agent) starts the service's failure backoff.
 */
public final class ServicesController implements Scheduler, HaInstance.Reign {
  private static final Logger LOG = LoggerFactory.getLogger(ServicesController.class);
  private static final long KILL_RESEND_MS = 5_000;
  private static final java.util.Set<TaskState> LIVE = java.util.Set.of(TaskState.TASK_STAGING,
      TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
  private static final long REVIVE_EVERY_MS = 2_000;
  /** Gone with its agent (or unknown to the master): replaced, but no fault of the service. */
  private static final Set<TaskState> LOST = Set.of(TaskState.TASK_LOST, TaskState.TASK_UNREACHABLE,
      TaskState.TASK_GONE, TaskState.TASK_GONE_BY_OPERATOR, TaskState.TASK_UNKNOWN, TaskState.TASK_DROPPED);

  private final LeaderActor actor;
  private final ServiceStore store;
  private final ServiceSpecValidator validator;
  private final Clock clock;
  private final Duration tick;
  private SchedulerClient client;
  private final Map<String, ServiceRecord> services = new TreeMap<>();
  private final Map<String, Map<String, Instance>> instances = new HashMap<>();
  private final Map<String, List<String>> waiting = new HashMap<>();
  private final Map<String, Map<String, String>> agentFields = new HashMap<>();
  private final Map<String, Long> killSentAt = new HashMap<>();
  /** Agents scheduled for maintenance (by id), with the window's start in epoch ms. */
  private final Map<String, Long> drainingAgents = new HashMap<>();
  private volatile MasterInfo masterInfo;
  private volatile FrameworkId frameworkId;
  private long lastOffersAt;

  public ServicesController(ServiceStore store, ServiceSpecValidator validator, Clock clock, Duration tick,
      Runnable onFenced) {
    this.store = store;
    this.validator = validator;
    this.clock = clock;
    this.tick = tick;
    this.actor = new LeaderActor("terrace-services", onFenced);
  }

  public void start(SchedulerClient schedulerClient) {
    this.client = schedulerClient;
    actor.call(() -> {
      services.putAll(store.loadServices());
      services.keySet().forEach(n -> instances.put(n, store.loadInstances(n)));
      LOG.info("Services framework leads with {} services", services.size());
      return null;
    }).join();
    actor.every(tick, this::tick);
    schedulerClient.start();
  }

  @Override
  public void stop() {
    actor.stop();
    if (client != null) {
      client.close();
    }
  }

  public Optional<MasterInfo> masterInfo() {
    return Optional.ofNullable(masterInfo);
  }

  public Optional<FrameworkId> frameworkId() {
    return Optional.ofNullable(frameworkId);
  }

  // ---- API ----

  /** Creates or changes a service: a new spec rolls out as a new version; only a new count scales. */
  public CompletableFuture<ServiceView> deploy(ServiceSpec submitted) {
    return actor.call(() -> {
      ServiceSpec spec = submitted.withDefaults();
      List<String> problems = validator.problems(spec);
      if (!problems.isEmpty()) {
        throw new ApiException(400, String.join("; ", problems));
      }
      ServiceRecord old = services.get(spec.name());
      ServiceRecord rec;
      if (old == null) {
        rec = new ServiceRecord(spec, 1, null, 0, 0, null, now());
      } else if (old.spec().withInstances(spec.instances()).equals(spec)) {
        rec = old.scale(spec.instances());
      } else {
        rec = old.deploy(spec);
      }
      return commit(rec);
    });
  }

  public CompletableFuture<ServiceView> scale(String name, int n) {
    return actor.call(() -> {
      if (n < 0 || n > 1000) {
        throw new ApiException(400, "instances must be 0-1000");
      }
      return commit(service(name).scale(n));
    });
  }

  /** Replaces every instance by a rolling deploy of the same spec. */
  public CompletableFuture<ServiceView> restart(String name) {
    return actor.call(() -> commit(service(name).deploy(service(name).spec())));
  }

  /** Rolls back to the spec before the last deploy (at the current instance count). */
  public CompletableFuture<ServiceView> rollback(String name) {
    return actor.call(() -> {
      ServiceRecord rec = service(name);
      if (rec.previous() == null) {
        throw new ApiException(409, "service " + name + " has no earlier version to roll back to");
      }
      return commit(rec.deploy(rec.previous().withInstances(rec.spec().instances())));
    });
  }

  public CompletableFuture<Void> delete(String name) {
    return actor.call(() -> {
      service(name);
      List<Instance> live = List.copyOf(instances.get(name).values());
      store.delete(name);
      services.remove(name);
      instances.remove(name);
      live.forEach(this::sendKill);
      return null;
    });
  }

  public CompletableFuture<List<ServiceView>> list() {
    return actor.call(() -> services.values().stream().map(this::view).toList());
  }

  public CompletableFuture<ServiceView> show(String name) {
    return actor.call(() -> view(service(name)));
  }

  public CompletableFuture<List<ServiceView.Endpoint>> endpoints(String name) {
    return actor.call(() -> {
      ServiceRecord rec = service(name);
      boolean checked = rec.spec().health() != null;
      return instances.get(name).values().stream().filter(i -> i.isHealthy(checked))
          .map(i -> new ServiceView.Endpoint(i.taskId(), i.hostname(), i.ports(),
              i.ports().isEmpty() ? i.hostname() : i.hostname() + ":" + i.ports().get(0)))
          .toList();
    });
  }

  // ---- Scheduler callbacks ----

  @Override
  public void subscribed(FrameworkId id, MasterInfo master) {
    frameworkId = id;
    masterInfo = master;
    actor.execute(() -> {
      List<Call.Reconcile.ReconcileTask> tasks = new ArrayList<>();
      instances.values().forEach(m -> m.values().forEach(i -> tasks.add(new Call.Reconcile.ReconcileTask(
          TaskId.of(i.taskId()), i.agentId() == null ? null : AgentId.of(i.agentId())))));
      LOG.info("Subscribed as {}; reconciling {} instances", id, tasks.size());
      if (!tasks.isEmpty()) {
        quietly("reconcile", client.reconcile(tasks));
      }
      quietly("revive", client.revive());
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

  /**
   * An agent is scheduled for maintenance: its instances are moved off before the window (rolling,
   * as a deploy), and the inverse offer is accepted to tell the operator they will be.
   */
  @Override
  public void inverseOffers(List<dev.terrace.common.model.InverseOffer> inverseOffers) {
    actor.execute(() -> {
      for (var io : inverseOffers) {
        drainingAgents.put(io.agentId().value(), windowStart(io.unavailability()));
        LOG.info("Agent {} goes into maintenance; moving service instances off it", io.agentId());
      }
      quietly("accept inverse offers", client.acceptInverseOffers(
          inverseOffers.stream().map(dev.terrace.common.model.InverseOffer::id).toList()));
      services.keySet().forEach(this::converge);
    });
  }

  // ---- the actor's work ----

  private ServiceView commit(ServiceRecord rec) {
    store.save(rec);
    services.put(rec.spec().name(), rec);
    instances.computeIfAbsent(rec.spec().name(), n -> new LinkedHashMap<>());
    converge(rec.spec().name());
    return view(rec);
  }

  private void tick() {
    services.keySet().forEach(this::converge);
    instances.values().forEach(m -> m.values().stream().filter(Instance::isKilling).forEach(this::sendKill));
  }

  /** Applies the plan's kills, and asks for offers when it wants launches. */
  private void converge(String name) {
    ServiceRecord rec = services.get(name);
    Map<String, Instance> mine = instances.get(name);
    long now = now();
    boolean backoff = rec.delayUntil() != null && rec.delayUntil() > now;
    DeploymentPlan.Plan plan = DeploymentPlan.plan(rec.spec(), rec.version(), mine.values(), backoff, this::draining);
    if (!plan.kills().isEmpty()) {
      List<Instance> marked = plan.kills().stream().map(id -> mine.get(id).markKilling()).toList();
      store.save(rec, marked, List.of());
      marked.forEach(i -> {
        mine.put(i.taskId(), i);
        sendKill(i);
      });
    }
    if (backoff) {
      waiting.put(name, List.of("backing off after " + rec.failures() + " failure(s) until "
          + java.time.Instant.ofEpochMilli(rec.delayUntil())));
    }
    if (plan.launches() > 0 && now - lastOffersAt > REVIVE_EVERY_MS && client.isSubscribed()) {
      quietly("revive", client.revive());
      lastOffersAt = now;
    }
  }

  private void placeOn(List<Offer> offers) {
    long now = now();
    lastOffersAt = now;
    offers.forEach(o -> agentFields.put(o.agentId().value(), OfferFit.fields(o)));
    // An offer carries its agent's maintenance window, if any: one without lifts an earlier one.
    offers.forEach(o -> {
      if (o.unavailability() != null) {
        if (drainingAgents.put(o.agentId().value(), windowStart(o.unavailability())) == null) {
          LOG.info("Agent {} ({}) is scheduled for maintenance; moving service instances off it", o.agentId(),
              o.hostname());
        }
      } else {
        drainingAgents.remove(o.agentId().value());
      }
    });
    Map<Offer, Resources> left = new LinkedHashMap<>();
    Map<Offer, Set<Integer>> takenPorts = new HashMap<>();
    offers.forEach(o -> {
      left.put(o, Resources.of(o.resources()));
      takenPorts.put(o, new HashSet<>());
    });
    Map<Offer, List<TaskInfo>> launches = new LinkedHashMap<>();
    for (String name : List.copyOf(services.keySet())) {
      ServiceRecord rec = services.get(name);
      Map<String, Instance> mine = instances.get(name);
      boolean backoff = rec.delayUntil() != null && rec.delayUntil() > now;
      int wanted = DeploymentPlan.plan(rec.spec(), rec.version(), mine.values(), backoff, this::draining).launches();
      if (wanted == 0) {
        if (!backoff) {
          waiting.remove(name);
        }
        continue;
      }
      ServiceSpec spec = rec.spec();
      Map<String, Double> scalars = Map.of("cpus", spec.cpus(), "mem", spec.mem(), "disk", spec.disk());
      List<String> reasons = new ArrayList<>();
      for (int k = 0; k < wanted; k++) {
        List<Map<String, String>> siblings = mine.values().stream().filter(i -> !i.isKilling())
            .map(i -> agentFields.getOrDefault(i.agentId(), Map.of("hostname", String.valueOf(i.hostname()))))
            .toList();
        reasons.clear();
        boolean placed = false;
        for (Offer o : offers) {
          String why = drainingAgents.containsKey(o.agentId().value())
              ? "agent is scheduled for maintenance from "
                  + java.time.Instant.ofEpochMilli(drainingAgents.get(o.agentId().value()))
              : OfferFit.refusal(spec.role(), scalars, spec.constraints(), o, left.get(o), siblings);
          Optional<List<Integer>> ports = why != null ? Optional.empty()
              : dev.terrace.sdk.placement.HostPorts.pick(spec.ports(), left.get(o).ranges("ports"), takenPorts.get(o));
          if (why == null && ports.isEmpty()) {
            why = "no free host ports for " + spec.ports();
          }
          if (why != null) {
            reasons.add(o.hostname() + ": " + why);
            continue;
          }
          rec = rec.instanceNamed();
          String taskId = ServiceTasks.taskId(name, rec.version(), rec.nextInstance() - 1);
          Instance inst = new Instance(taskId, rec.version(), "TASK_STAGING", null, o.agentId().value(),
              o.hostname(), ports.get(), now, null, null, null);
          store.save(rec, List.of(inst), List.of()); // before the launch
          services.put(name, rec);
          mine.put(taskId, inst);
          takenPorts.get(o).addAll(ports.get());
          left.put(o, left.get(o).minus(Resources.of(scalarResources(spec))));
          launches.computeIfAbsent(o, x -> new ArrayList<>()).add(ServiceTasks.task(spec, taskId, o, ports.get()));
          placed = true;
          break;
        }
        if (!placed) {
          waiting.put(name, reasons.isEmpty() ? List.of("no offer from the master right now") : List.copyOf(reasons));
          break;
        }
        waiting.remove(name);
      }
    }
    dev.terrace.sdk.OfferAnswers.send(client, offers, launches, waiting.isEmpty() ? 30.0 : 2.0, this::update);
  }

  private static List<dev.terrace.common.model.Resource> scalarResources(ServiceSpec spec) {
    return List.of(dev.terrace.common.model.Resource.scalar("cpus", spec.cpus()),
        dev.terrace.common.model.Resource.scalar("mem", spec.mem()),
        dev.terrace.common.model.Resource.scalar("disk", spec.disk()));
  }

  private void updated(TaskStatus status) {
    String taskId = status.taskId().value();
    String name = ServiceTasks.serviceOf(taskId).orElse(null);
    Map<String, Instance> mine = name == null ? null : instances.get(name);
    Instance inst = mine == null ? null : mine.get(taskId);
    TaskState state = status.state();
    if (inst == null) {
      // A task of ours the state does not know (its service or job was removed, or it was
      // replaced while its agent was away): kill it once it shows up live, at most every few s.
      if (LIVE.contains(status.state())) {
        killUnknown(status);
      }
      return;
    }
    ServiceRecord rec = services.get(name);
    long now = now();
    if (state.isTerminal() || LOST.contains(state)) {
      ServiceRecord after = rec;
      if (!inst.isKilling() && !LOST.contains(state)) {
        after = rec.failed(now);
        LOG.info("Instance {} of {} ended {} ({}); replacing it after {} ms", taskId, name, state, status.message(),
            after.delayUntil() - now);
      } else if (LOST.contains(state)) {
        // Should its agent come back, the old task shows up RUNNING, unknown, and is killed then.
        LOG.info("Instance {} of {} is {}; replacing it", taskId, name, state);
      }
      store.save(after, List.of(), List.of(inst));
      services.put(name, after);
      mine.remove(taskId);
      killSentAt.remove(taskId);
      converge(name);
      return;
    }
    Instance after = inst.withState(state.name(), status.healthy(), status.message(), now);
    ServiceRecord recAfter = Boolean.TRUE.equals(status.healthy()) || (rec.spec().health() == null
        && state == TaskState.TASK_RUNNING) ? rec.healthy() : rec;
    if (after.equals(inst) && recAfter.equals(rec)) {
      return;
    }
    store.save(recAfter, List.of(after), List.of());
    services.put(name, recAfter);
    mine.put(taskId, after);
    converge(name);
  }

  private ServiceView view(ServiceRecord rec) {
    String name = rec.spec().name();
    List<Instance> list = List.copyOf(instances.getOrDefault(name, Map.of()).values());
    boolean checked = rec.spec().health() != null;
    boolean backoff = rec.delayUntil() != null && rec.delayUntil() > now();
    DeploymentPlan.Plan plan = DeploymentPlan.plan(rec.spec(), rec.version(), list, backoff, this::draining);
    int healthy = (int) list.stream().filter(i -> i.isHealthy(checked)).count();
    boolean rolling = plan.deploying() || list.stream().anyMatch(i -> i.isKilling() && i.version() != rec.version());
    return new ServiceView(rec.spec(), rec.version(), rec.previous() != null, rolling, healthy, list,
        waiting.getOrDefault(name, List.of()), rec.failures(), rec.delayUntil());
  }

  private boolean draining(Instance i) {
    return i.agentId() != null && drainingAgents.containsKey(i.agentId());
  }

  private static long windowStart(dev.terrace.common.model.Unavailability u) {
    return u == null || u.start() == null ? 0 : u.start().nanoseconds() / 1_000_000;
  }

  private ServiceRecord service(String name) {
    ServiceRecord rec = services.get(name);
    if (rec == null) {
      throw new ApiException(404, "no service named " + name);
    }
    return rec;
  }

  private void killUnknown(TaskStatus status) {
    String id = status.taskId().value();
    Long last = killSentAt.get(id);
    if (last != null && now() - last < KILL_RESEND_MS) {
      return;
    }
    LOG.info("Killing task {}: no service instance knows it", id);
    killSentAt.put(id, now());
    quietly("kill", client.kill(status.taskId(), status.agentId()));
  }

  private void sendKill(Instance i) {
    long now = now();
    Long last = killSentAt.get(i.taskId());
    if (last != null && now - last < KILL_RESEND_MS) {
      return;
    }
    killSentAt.put(i.taskId(), now);
    quietly("kill", client.kill(TaskId.of(i.taskId()), i.agentId() == null ? null : AgentId.of(i.agentId())));
  }

  private long now() {
    return clock.millis();
  }

  private static void quietly(String what, CompletableFuture<Void> f) {
    f.exceptionally(e -> {
      LOG.debug("{} failed: {}", what, e.getMessage());
      return null;
    });
  }
}
