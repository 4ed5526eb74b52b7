package dev.terrace.master;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.InverseOffer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Unavailability;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.registry.DownMachine;
import dev.terrace.master.registry.MaintenanceSchedule;
import dev.terrace.master.registry.MaintenanceSchedule.MachineId;
import dev.terrace.master.registry.RegistrySnapshot;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.TaskEntry;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mesos' maintenance primitives: a schedule of windows in which machines will be unavailable
 * (their machines are DRAINING: offers from them carry the window, and frameworks with tasks there
 * get inverse offers they accept or decline), START_MAINTENANCE (the machines go DOWN: their
 * agents are removed and may not register) and STOP_MAINTENANCE (UP again, out of the schedule).
 * Durable in the registry. Runs on the master's context; each call validates first and changes
 * nothing when it fails (the future fails with {@link IllegalArgumentException}).
 *
 * <p>A machine matches an agent by hostname, or by IP when the agent's hostname is that IP.
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  /** A framework's answer to the inverse offers for one machine (Mesos' InverseOfferStatus). */
  public record Response(FrameworkId framework, AgentId agent, String status, Instant timestamp) {}

  private final Master master;
  private final RegistryWrites registry;
  private MaintenanceSchedule schedule = MaintenanceSchedule.EMPTY;
  private final Map<MachineId, Instant> down = new LinkedHashMap<>();
  private final Map<MachineId, Map<FrameworkId, Response>> responses = new HashMap<>();
  private final Map<OfferId, InverseOffer> outstanding = new HashMap<>();

  Maintenance(Master master, RegistryWrites registry) {
    this.master = master;
    this.registry = registry;
  }

  void recover(MaintenanceSchedule schedule, RegistrySnapshot.Operated operated) {
    this.schedule = schedule;
    operated.downMachines().forEach(d -> down.put(d.machine(), d.since()));
  }

  public MaintenanceSchedule schedule() {
    return schedule;
  }

  public Map<MachineId, Instant> downMachines() {
    return down;
  }

  /** Machines in the schedule and not down, with the frameworks' answers so far. */
  public Map<MachineId, List<Response>> draining() {
    Map<MachineId, List<Response>> out = new LinkedHashMap<>();
    for (MaintenanceSchedule.Window w : schedule.windows()) {
      for (MachineId m : w.machineIds()) {
        if (!down.containsKey(m)) {
          out.put(m, List.copyOf(responses.getOrDefault(m, Map.of()).values()));
        }
      }
    }
    return out;
  }

  /** Whether an agent on this machine may register (its machine is not down). */
  boolean mayRegister(String hostname) {
    return down.keySet().stream().noneMatch(m -> matches(m, hostname));
  }

  /** The window the agent's machine is scheduled for, or null. */
  Unavailability unavailability(AgentEntry agent) {
    for (MaintenanceSchedule.Window w : schedule.windows()) {
      for (MachineId m : w.machineIds()) {
        if (matches(m, agent.info.hostname())) {
          return w.unavailability();
        }
      }
    }
    return null;
  }

  /** UPDATE_MAINTENANCE_SCHEDULE: replaces the schedule; inverse offers follow. */
  public Future<Void> updateSchedule(MaintenanceSchedule next) {
    String invalid = validate(next);
    if (invalid != null) {
      return Future.failedFuture(new IllegalArgumentException(invalid));
    }
    return registry.write(r -> r.putMaintenanceSchedule(next)).onSuccess(v -> {
      Set<MachineId> before = machines(schedule);
      schedule = next;
      Set<MachineId> after = machines(next);
      responses.keySet().retainAll(after);
      LOG.info("Maintenance schedule updated: {} windows, {} machines", next.windows().size(), after.size());
      // Offers from changed machines carry the old (or no) window: withdraw them so new ones do.
      for (AgentEntry agent : List.copyOf(master.agents())) {
        boolean was = before.stream().anyMatch(m -> matches(m, agent.info.hostname()));
        boolean is = after.stream().anyMatch(m -> matches(m, agent.info.hostname()));
        if (was || is) {
          master.offers().rescindAgent(agent.info.id());
          rescindInverseOffers(agent.info.id());
          if (is) {
            sendInverseOffers(agent);
          }
        }
      }
      master.scheduleAllocation();
    });
  }

  private String validate(MaintenanceSchedule next) {
    Set<MachineId> seen = new HashSet<>();
    for (MaintenanceSchedule.Window w : next.windows()) {
      if (w.machineIds().isEmpty()) {
        return "Each maintenance window needs at least one machine";
      }
      if (w.unavailability().start() == null) {
        return "Each window's 'unavailability' needs a 'start'";
      }
      if (w.unavailability().duration() != null && w.unavailability().duration().nanoseconds() < 0) {
        return "A window's 'unavailability.duration' must not be negative";
      }
      for (MachineId m : w.machineIds()) {
        if (blank(m.hostname()) && blank(m.ip())) {
          return "Each machine needs a 'hostname' or an 'ip'";
        }
        if (!seen.add(m)) {
          return "Machine " + describe(m) + " is in more than one window";
        }
      }
    }
    for (MachineId m : down.keySet()) {
      if (!seen.contains(m)) {
        return "Machine " + describe(m) + " is down; it must stay in the schedule until STOP_MAINTENANCE";
      }
    }
    return null;
  }

  /** START_MAINTENANCE: the machines (all scheduled, none down yet) go down, with their agents. */
  public Future<Void> start(List<MachineId> machines) {
    Set<MachineId> scheduled = machines(schedule);
    for (MachineId m : machines) {
      if (!scheduled.contains(m)) {
        return Future.failedFuture(new IllegalArgumentException(
            "Machine " + describe(m) + " is not in the maintenance schedule"));
      }
      if (down.containsKey(m)) {
        return Future.failedFuture(new IllegalArgumentException("Machine " + describe(m) + " is already down"));
      }
    }
    if (machines.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("Expecting at least one machine"));
    }
    Instant now = master.clock().instant();
    List<AgentId> agents = new ArrayList<>();
    for (AgentEntry a : master.agents()) {
      if (machines.stream().anyMatch(m -> matches(m, a.info.hostname()))) {
        agents.add(a.info.id());
      }
    }
    List<DownMachine> downs = machines.stream().map(m -> new DownMachine(m, now)).toList();
    return registry.write(r -> r.startMaintenance(downs, agents)).onSuccess(v -> {
      machines.forEach(m -> down.put(m, now));
      machines.forEach(responses::remove);
      for (AgentId id : agents) {
        rescindInverseOffers(id);
        master.removeAgent(id, TaskState.TASK_GONE_BY_OPERATOR,
            TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR, "Agent " + id.value() + " went down for maintenance");
      }
      LOG.warn("Maintenance started on {} machines; {} agents removed", machines.size(), agents.size());
    });
  }

  /** STOP_MAINTENANCE: the machines (all down) are up again and leave the schedule. */
  public Future<Void> stop(List<MachineId> machines) {
    if (machines.isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("Expecting at least one machine"));
    }
    for (MachineId m : machines) {
      if (!down.containsKey(m)) {
        return Future.failedFuture(new IllegalArgumentException("Machine " + describe(m) + " is not down"));
      }
    }
    List<MaintenanceSchedule.Window> windows = new ArrayList<>();
    for (MaintenanceSchedule.Window w : schedule.windows()) {
      List<MachineId> left = w.machineIds().stream().filter(m -> !machines.contains(m)).toList();
      if (!left.isEmpty()) {
        windows.add(new MaintenanceSchedule.Window(left, w.unavailability()));
      }
    }
    MaintenanceSchedule next = new MaintenanceSchedule(windows);
    return registry.write(r -> r.stopMaintenance(machines, next)).onSuccess(v -> {
      machines.forEach(down::remove);
      schedule = next;
      LOG.info("Maintenance stopped on {} machines", machines.size());
    });
  }

  /** Inverse offers for an agent on a scheduled machine, one per framework with tasks there. */
  void sendInverseOffers(AgentEntry agent) {
    Unavailability window = unavailability(agent);
    if (window == null) {
      return;
    }
    Map<FrameworkId, List<TaskEntry>> byFramework = new LinkedHashMap<>();
    agent.tasks.values().forEach(t -> byFramework.computeIfAbsent(t.frameworkId, k -> new ArrayList<>()).add(t));
    byFramework.forEach((fwId, tasks) -> {
      FrameworkEntry fw = master.framework(fwId);
      if (fw == null) {
        return;
      }
      OfferId id = master.ids().nextInverseOffer(master.info());
      InverseOffer offer = new InverseOffer(id, fwId, agent.info.id(), window, List.of());
      outstanding.put(id, offer);
      master.sendToFramework(fw, Event.inverseOffers(List.of(offer)));
    });
  }

  /** ACCEPT_INVERSE_OFFERS / DECLINE_INVERSE_OFFERS: the framework's answer is recorded. */
  void respond(FrameworkEntry fw, List<OfferId> ids, boolean accepted) {
    for (OfferId id : ids) {
      InverseOffer offer = outstanding.get(id);
      if (offer == null || !offer.frameworkId().equals(fw.id)) {
        continue;
      }
      outstanding.remove(id);
      AgentEntry agent = master.agent(offer.agentId());
      if (agent == null) {
        continue;
      }
      machineOf(agent.info.hostname()).ifPresent(m -> responses.computeIfAbsent(m, k -> new LinkedHashMap<>())
          .put(fw.id, new Response(fw.id, agent.info.id(), accepted ? "ACCEPT" : "DECLINE",
              master.clock().instant())));
    }
  }

  private void rescindInverseOffers(AgentId agent) {
    for (InverseOffer o : List.copyOf(outstanding.values())) {
      if (o.agentId().equals(agent)) {
        outstanding.remove(o.id());
        FrameworkEntry fw = master.framework(o.frameworkId());
        if (fw != null) {
          master.sendToFramework(fw, Event.rescindInverseOffer(o.id()));
        }
      }
    }
  }

  /** Outstanding inverse offers made to a framework (for the operator API's views). */
  public List<InverseOffer> outstandingFor(FrameworkId framework) {
    return outstanding.values().stream().filter(o -> o.frameworkId().equals(framework)).toList();
  }

  private java.util.Optional<MachineId> machineOf(String hostname) {
    return machines(schedule).stream().filter(m -> matches(m, hostname)).findFirst();
  }

  private static Set<MachineId> machines(MaintenanceSchedule s) {
    Set<MachineId> out = new HashSet<>();
    s.windows().forEach(w -> out.addAll(w.machineIds()));
    return out;
  }

  static boolean matches(MachineId m, String hostname) {
    return hostname != null && ((!blank(m.hostname()) && m.hostname().equalsIgnoreCase(hostname))
        || (!blank(m.ip()) && m.ip().equals(hostname)));
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String describe(MachineId m) {
    return (blank(m.hostname()) ? "" : m.hostname()) + (blank(m.ip()) ? "" : " (" + m.ip() + ")");
  }
}
