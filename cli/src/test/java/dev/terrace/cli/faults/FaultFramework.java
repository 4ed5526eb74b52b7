package dev.terrace.cli.faults;

import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.testkit.RecordingScheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The framework of the fault-injection suite: a real SDK client (which acknowledges every update
 * once its scheduler has seen it) over a {@link RecordingScheduler} that records every update,
 * plus the record of every task it launched and where. {@link InvariantChecker} reads both.
 */
final class FaultFramework implements AutoCloseable {
  /** Long enough that a framework cut off by any fault of the suite fails over, never is removed. */
  private static final double FAILOVER_TIMEOUT_SECONDS = 600;

  final RecordingScheduler scheduler = new RecordingScheduler();
  final SchedulerClient client;
  private final Map<TaskId, AgentId> launched = new ConcurrentHashMap<>();

  /** Subscribes through {@code master} (a {@code zk://} or {@code http://} URL). */
  FaultFramework(String master) {
    FrameworkInfo info = new FrameworkInfo("root", "faults", null, FAILOVER_TIMEOUT_SECONDS, true, null,
        List.of(), null, null, null, null, null)
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)
        .withCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    client = SchedulerClient.builder(master, info, scheduler).build().start();
  }

  /** Launches a shell task on the newest unused offer that {@code where} accepts. */
  TaskId launch(String prefix, Predicate<Offer> where, double memMb, String command) {
    return launch(prefix, where, memMb, command, null);
  }

  /** As above, in {@code container} (an image, say) when not null. */
  TaskId launch(String prefix, Predicate<Offer> where, double memMb, String command, ContainerInfo container) {
    TaskId id = TaskId.of(prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    await("an offer for " + id).atMost(Duration.ofSeconds(90))
        .until(() -> unusedOffer(where, memMb).isPresent());
    Offer offer = unusedOffer(where, memMb).orElseThrow();
    scheduler.rescinded.add(offer.id()); // used: never picked twice
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    TaskInfo task = TaskInfo.command(id.value(), id, offer.agentId(),
        List.of(Resource.scalar("cpus", 0.1).withAllocationRole(role),
            Resource.scalar("mem", memMb).withAllocationRole(role)),
        CommandInfo.shell(command));
    if (container != null) {
      task = task.withContainer(container);
    }
    launched.put(id, offer.agentId());
    client.launch(offer, List.of(task)).join();
    return id;
  }

  TaskId launch(String prefix, String command) {
    return launch(prefix, o -> true, 32, command);
  }

  /** Launches a task and waits until it runs. */
  TaskId running(String prefix, String command) {
    TaskId id = launch(prefix, command);
    awaitState(id, TaskState.TASK_RUNNING);
    return id;
  }

  /** A task that runs until killed, and one that ends (exit 0) once file {@code gate} exists. */
  record Pair(TaskId survivor, TaskId finisher) {}

  /** Launches the {@link Pair} and waits until both run; {@code gate} may be relative to the sandbox. */
  Pair survivorAndFinisher(String gate) {
    TaskId survivor = launch("survivor", "sleep 600");
    TaskId finisher = launch("finisher", "while [ ! -e " + gate + " ]; do sleep 0.1; done");
    awaitState(survivor, TaskState.TASK_RUNNING);
    awaitState(finisher, TaskState.TASK_RUNNING);
    return new Pair(survivor, finisher);
  }

  private Optional<Offer> unusedOffer(Predicate<Offer> where, double memMb) {
    for (int i = scheduler.offers.size() - 1; i >= 0; i--) {
      Offer o = scheduler.offers.get(i);
      Resources r = Resources.of(o.resources());
      if (!scheduler.rescinded.contains(o.id()) && where.test(o) && r.scalar("cpus") >= 0.1
          && r.scalar("mem") >= memMb) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /** Waits (up to 90 s) for the task's first update in {@code state} and returns it. */
  TaskStatus awaitState(TaskId id, TaskState state) {
    await(id + " " + state).atMost(Duration.ofSeconds(90))
        .until(() -> scheduler.states(id).contains(state));
    return scheduler.updates.stream().filter(u -> u.taskId().equals(id) && u.state() == state)
        .findFirst().orElseThrow();
  }

  /** Every task launched, with the agent it was launched on. */
  Map<TaskId, AgentId> launched() {
    return Map.copyOf(launched);
  }

  AgentId agentOf(TaskId id) {
    return launched.get(id);
  }

  @Override
  public void close() {
    client.close();
  }
}
