package dev.terrace.master.property;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.channel.MasterMessage;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Value;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.master.Master;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.allocator.HierarchicalDrfAllocator;
import dev.terrace.master.metrics.MasterMetrics;
import dev.terrace.master.registry.InMemoryRegistry;
import dev.terrace.master.registry.RegistrySnapshot;
import dev.terrace.master.state.AgentEntry;
import dev.terrace.master.state.AgentLink;
import dev.terrace.master.state.FrameworkEntry;
import dev.terrace.master.state.FrameworkLink;
import dev.terrace.master.state.TaskEntry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random sequences of what frameworks and agents do to a real {@link Master} (allocate, accept
 * with launches, decline, kill, tasks finishing, agents becoming unreachable and coming back,
 * teardown) never leave an agent's resources promised twice: at every step, each agent's
 * outstanding offers plus its live tasks fit its total, and no port is in two places.
 */
class MasterNeverDoubleAllocatesPropertyTest {
  private static Vertx vertx;

  @BeforeContainer
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterContainer
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Provide
  Arbitrary<List<int[]>> actions() {
    return Arbitraries.integers().between(0, 7).flatMap(kind ->
        Arbitraries.integers().between(0, 1000).list().ofSize(3).map(args ->
            new int[] {kind, args.get(0), args.get(1), args.get(2)})).list().ofMinSize(5).ofMaxSize(40);
  }

  @Property(tries = 150)
  void agentsAreNeverPromisedTwice(@ForAll("actions") List<int[]> actions) throws Exception {
    Context ctx = vertx.getOrCreateContext();
    Harness h = on(ctx, () -> new Harness(vertx));
    for (int[] a : actions) {
      on(ctx, () -> {
        h.apply(a);
        return null;
      });
      if (a[0] == 0) {
        await(ctx, h);
      }
      on(ctx, () -> {
        h.checkInvariant();
        return null;
      });
    }
    await(ctx, h);
    on(ctx, () -> {
      h.checkInvariant();
      h.master.stop();
      return null;
    });
  }

  private static void await(Context ctx, Harness h) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    ctx.runOnContext(v -> h.master.allocate().onComplete(ar -> done.complete(null)));
    done.get(10, TimeUnit.SECONDS);
  }

  private static <T> T on(Context ctx, Supplier<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      try {
        result.complete(work.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof AssertionError ae) {
        throw ae;
      }
      throw e;
    }
  }

  /** A master with three agents and two frameworks whose links just record. */
  static final class Harness {
    final Master master;
    final List<AgentId> agentIds = new ArrayList<>();
    final List<RecordingAgent> agentLinks = new ArrayList<>();
    final List<FrameworkEntry> frameworks = new ArrayList<>();
    int nextTask;

    Harness(Vertx vertx) {
      MasterInfo info = new MasterInfo("m-" + UUID.randomUUID(), 0L, 5050, null, "127.0.0.1", "test", null);
      master = new Master(vertx, MasterConfig.builder().build(), info, new HierarchicalDrfAllocator(),
          Clock.systemUTC(), new InMemoryRegistry(), RegistrySnapshot.EMPTY, e -> { }, new MasterMetrics(Instant.now()));
      for (int i = 0; i < 3; i++) {
        AgentId id = AgentId.of("agent-" + i);
        agentIds.add(id);
        RecordingAgent link = new RecordingAgent();
        agentLinks.add(link);
        register(i);
      }
      for (int i = 0; i < 2; i++) {
        frameworks.add(master.subscribe(FrameworkInfo.of("u", "fw" + i), new NullFrameworkLink()));
      }
    }

    void register(int i) {
      AgentInfo info = new AgentInfo("host-" + i, 5051, List.of(Resource.scalar("cpus", 4),
          Resource.scalar("mem", 4096), Resource.ranges("ports", List.of(new Value.Range(31000, 31009)))),
          null, agentIds.get(i));
      master.registerAgent(new AgentMessage.Register(info, "test", List.of(), List.of()), agentLinks.get(i));
    }

    void apply(int[] a) {
      FrameworkEntry fw = frameworks.get(a[1] % frameworks.size());
      List<Offer> offers = new ArrayList<>(fw.offers.values());
      List<TaskEntry> tasks = new ArrayList<>(fw.tasks.values());
      switch (a[0]) {
        case 0 -> { } // allocate: done by the caller
        case 1 -> {
          if (!offers.isEmpty()) {
            accept(fw, offers.get(a[2] % offers.size()), a[3]);
          }
        }
        case 2 -> {
          if (!offers.isEmpty()) {
            master.decline(fw, new Call.Decline(List.of(offers.get(a[2] % offers.size()).id()), new Filters(0.0)));
          }
        }
        case 3, 4 -> {
          if (!tasks.isEmpty()) {
            TaskEntry t = tasks.get(a[2] % tasks.size());
            TaskState end = a[0] == 3 ? TaskState.TASK_KILLED : TaskState.TASK_FINISHED;
            if (a[0] == 3) {
              master.kill(fw, new Call.Kill(t.info.taskId(), t.agentId, null));
            }
            master.statusUpdate(t.agentId, new AgentMessage.StatusUpdate(fw.id,
                TaskStatus.of(t.info.taskId(), end, TaskStatus.Source.SOURCE_AGENT, null, null, t.agentId), end));
          }
        }
        case 5 -> {
          int i = a[2] % agentIds.size();
          master.agentUnresponsive(agentIds.get(i), agentLinks.get(i));
        }
        case 6 -> {
          int i = a[2] % agentIds.size();
          if (master.agents().stream().noneMatch(e -> e.info.id().equals(agentIds.get(i)))) {
            agentLinks.set(i, new RecordingAgent());
            register(i);
          }
        }
        case 7 -> {
          int k = a[1] % frameworks.size();
          master.teardown(fw);
          frameworks.set(k, master.subscribe(FrameworkInfo.of("u", "fw-again-" + a[2]), new NullFrameworkLink()));
        }
        default -> throw new IllegalStateException();
      }
    }

    /** Launches one or two tasks on a slice of the offer (some too big: those get TASK_ERROR). */
    void accept(FrameworkEntry fw, Offer offer, int seed) {
      List<Value.Range> ports = Resources.of(offer.resources()).ranges("ports");
      List<TaskInfo> launch = new ArrayList<>();
      for (int n = 0; n < 1 + seed % 2; n++) {
        List<Resource> res = new ArrayList<>(List.of(
            Resource.scalar("cpus", 0.5 + (seed % 4)).withAllocationRole("*"),
            Resource.scalar("mem", 256 * (1 + seed % 5)).withAllocationRole("*")));
        if (!ports.isEmpty()) {
          long port = ports.get(0).begin() + (seed + n) % (ports.get(0).end() - ports.get(0).begin() + 1);
          res.add(Resource.ranges("ports", List.of(new Value.Range(port, port))).withAllocationRole("*"));
        }
        TaskId id = TaskId.of("t" + nextTask++);
        launch.add(TaskInfo.command(id.value(), id, offer.agentId(), res, CommandInfo.shell("true")));
      }
      master.accept(fw, new Call.Accept(List.of(offer.id()), List.of(Operation.launch(launch)),
          new Filters(0.0)));
    }

    void checkInvariant() {
      for (AgentEntry agent : master.agents()) {
        Resources promised = Resources.empty();
        Set<Long> ports = new HashSet<>();
        List<Resources> parts = new ArrayList<>();
        for (FrameworkEntry fw : master.frameworks()) {
          fw.offers.values().stream().filter(o -> o.agentId().equals(agent.info.id()))
              .forEach(o -> parts.add(Resources.of(o.resources())));
          fw.tasks.values().stream().filter(t -> t.agentId.equals(agent.info.id()))
              .forEach(t -> parts.add(t.resources));
        }
        for (Resources r : parts) {
          promised = promised.plus(r);
          for (Value.Range range : r.ranges("ports")) {
            for (long p = range.begin(); p <= range.end(); p++) {
              assertThat(ports.add(p)).as("port %d of %s promised twice", p, agent.info.id()).isTrue();
            }
          }
        }
        assertThat(agent.total.contains(promised))
            .as("%s promised %s of its %s", agent.info.id(), promised, agent.total).isTrue();
      }
    }
  }

  static final class RecordingAgent implements AgentLink {
    final List<MasterMessage> sent = new ArrayList<>();

    @Override
    public void send(MasterMessage message) {
      sent.add(message);
    }

    @Override
    public void close(String reason) { }
  }

  static final class NullFrameworkLink implements FrameworkLink {
    private final String id = UUID.randomUUID().toString();

    @Override
    public String streamId() {
      return id;
    }

    @Override
    public void send(Event event) { }

    @Override
    public void close() { }
  }
}
