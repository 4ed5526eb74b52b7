package dev.terrace.master.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.DurationInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TimeInfo;
import dev.terrace.common.model.Unavailability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Registry} must do. Each implementation's test extends this and says how to
 * make a fresh registry for a new leader and how to depose it.
 */
abstract class RegistryContractTest {
  static final int COMPLETED_LIMIT = 5;
  static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");

  /** A new, empty registry, opened as a leader's, keeping {@link #COMPLETED_LIMIT} completed ids. */
  abstract Registry newRegistry() throws Exception;

  /** Makes {@code registry}'s writes fenced, as a newer leader would. */
  abstract void depose(Registry registry) throws Exception;

  @Test
  void newRegistryRecoversEmpty() throws Exception {
    assertThat(await(newRegistry().recover())).isEqualTo(RegistrySnapshot.EMPTY);
  }

  @Test
  void agentsAreAdmittedUpdatedAndRemoved() throws Exception {
    Registry registry = newRegistry();
    AgentInfo a1 = agent("a1", "host-1");
    AgentInfo a2 = agent("a2", "host-2");
    await(registry.admitAgent(a1));
    await(registry.admitAgent(a2));
    assertThat(await(registry.recover()).agents()).containsOnly(entry(a1), entry(a2));

    AgentInfo a1Moved = agent("a1", "host-1-renamed");
    await(registry.admitAgent(a1Moved));
    await(registry.removeAgent(a2.id()));
    await(registry.removeAgent(AgentId.of("never-seen")));

    assertThat(await(registry.recover()).agents()).containsOnly(entry(a1Moved));
  }

  @Test
  void unreachableAgentsAreRememberedWithTheirTimeAndCanBeAdmittedAgain() throws Exception {
    Registry registry = newRegistry();
    AgentInfo a1 = agent("a1", "host-1");
    await(registry.admitAgent(a1));
    await(registry.admitAgent(agent("a2", "host-2")));

    await(registry.markAgentUnreachable(a1.id(), T0));
    RegistrySnapshot marked = await(registry.recover());
    assertThat(marked.agents()).containsOnlyKeys(AgentId.of("a2"));
    assertThat(marked.unreachable()).containsOnly(Map.entry(a1.id(), new UnreachableAgent(a1.id(), T0)));

    await(registry.admitAgent(a1));
    RegistrySnapshot back = await(registry.recover());
    assertThat(back.agents()).containsOnlyKeys(AgentId.of("a1"), AgentId.of("a2"));
    assertThat(back.unreachable()).isEmpty();

    await(registry.markAgentUnreachable(a1.id(), T0));
    await(registry.removeAgent(a1.id()));
    RegistrySnapshot gone = await(registry.recover());
    assertThat(gone.agents()).containsOnlyKeys(AgentId.of("a2"));
    assertThat(gone.unreachable()).isEmpty();
  }

  @Test
  void frameworksAreStoredUpdatedAndRemovedIntoTheCompletedList() throws Exception {
    Registry registry = newRegistry();
    FrameworkRecord f1 = framework("f1", T0);
    FrameworkRecord f2 = framework("f2", T0);
    await(registry.putFramework(f1));
    await(registry.putFramework(f2));
    FrameworkRecord f1Later = f1.seenAt(T0.plusSeconds(30));
    await(registry.putFramework(f1Later));

    RegistrySnapshot before = await(registry.recover());
    assertThat(before.frameworks())
        .containsOnly(Map.entry(f1.frameworkId(), f1Later), Map.entry(f2.frameworkId(), f2));
    assertThat(before.frameworks().get(f1.frameworkId()).info().failoverTimeout()).isEqualTo(60.0);
    assertThat(before.completedFrameworks()).isEmpty();

    await(registry.removeFramework(f2.frameworkId()));
    RegistrySnapshot after = await(registry.recover());
    assertThat(after.frameworks()).containsOnlyKeys(f1.frameworkId());
    assertThat(after.completedFrameworks()).containsExactly(f2.frameworkId());
  }

  @Test
  void completedFrameworksKeepOnlyTheMostRecent() throws Exception {
    Registry registry = newRegistry();
    List<FrameworkId> removed = new ArrayList<>();
    for (int i = 0; i < COMPLETED_LIMIT + 3; i++) {
      FrameworkId id = FrameworkId.of("done-" + i);
      await(registry.putFramework(framework(id.value(), T0)));
      await(registry.removeFramework(id));
      removed.add(id);
    }
    RegistrySnapshot snapshot = await(registry.recover());
    assertThat(snapshot.completedFrameworks())
        .containsExactlyElementsOf(removed.subList(removed.size() - COMPLETED_LIMIT, removed.size()));
    assertThat(snapshot.frameworks()).isEmpty();
  }

  @Test
  void weightsAreSetPerRoleAndOverwritten() throws Exception {
    Registry registry = newRegistry();
    await(registry.putWeights(Map.of("dev", 1.5, "prod", 3.0)));
    await(registry.putWeights(Map.of("prod", 4.0, "batch", 0.5)));
    assertThat(await(registry.recover()).weights())
        .containsOnly(Map.entry("dev", 1.5), Map.entry("prod", 4.0), Map.entry("batch", 0.5));
    assertThatThrownBy(() -> registry.putWeights(Map.of("bad", 0.0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quotaIsPutReplacedAndRemoved() throws Exception {
    Registry registry = newRegistry();
    QuotaRecord small = new QuotaRecord(Map.of("cpus", 2.0), Map.of("cpus", 4.0, "mem", 1024.0));
    QuotaRecord large = new QuotaRecord(Map.of("cpus", 8.0), Map.of());
    await(registry.putQuota("prod", small));
    await(registry.putQuota("dev", small));
    await(registry.putQuota("prod", large));
    await(registry.removeQuota("dev"));
    await(registry.removeQuota("never-had-quota"));
    assertThat(await(registry.recover()).quota()).containsOnly(Map.entry("prod", large));
  }

  @Test
  void maintenanceScheduleIsReplacedAsAWhole() throws Exception {
    Registry registry = newRegistry();
    MaintenanceSchedule first = schedule("m1", "m2");
    MaintenanceSchedule second = schedule("m3");
    await(registry.putMaintenanceSchedule(first));
    assertThat(await(registry.recover()).maintenance()).isEqualTo(first);
    await(registry.putMaintenanceSchedule(second));
    assertThat(await(registry.recover()).maintenance()).isEqualTo(second);
    await(registry.putMaintenanceSchedule(MaintenanceSchedule.EMPTY));
    assertThat(await(registry.recover()).maintenance()).isEqualTo(MaintenanceSchedule.EMPTY);
  }

  @Test
  void awkwardIdsRoundTrip() throws Exception {
    Registry registry = newRegistry();
    List<String> ids =
        List.of("a/b/c", "with space", ".", "..", "...", "100%", "a+b", "zookeeper", "ünïcödé ✓",
            "%2F", "/leading", "trailing/", "tab\there");
    for (String id : ids) {
      await(registry.admitAgent(agent(id, "host")));
      await(registry.putFramework(framework(id, T0)));
      await(registry.putQuota(id, new QuotaRecord(Map.of("cpus", 1.0), Map.of())));
    }
    await(registry.putWeights(Map.of("a/b", 2.0, "a b", 3.0)));
    await(registry.removeFramework(FrameworkId.of("a/b/c")));

    RegistrySnapshot snapshot = await(registry.recover());
    assertThat(snapshot.agents().keySet()).extracting(AgentId::value).containsExactlyInAnyOrderElementsOf(ids);
    snapshot.agents().forEach((id, info) -> assertThat(info.id()).isEqualTo(id));
    assertThat(snapshot.frameworks()).hasSize(ids.size() - 1);
    assertThat(snapshot.quota()).containsOnlyKeys(ids);
    assertThat(snapshot.weights()).containsOnlyKeys("a/b", "a b");
    assertThat(snapshot.completedFrameworks()).containsExactly(FrameworkId.of("a/b/c"));
    assertThatThrownBy(() -> registry.admitAgent(agent("", "host")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesIssuedWithoutWaitingApplyInCallOrder() throws Exception {
    Registry registry = newRegistry();
    List<CompletionStage<Void>> writes = new ArrayList<>();
    FrameworkRecord f = framework("busy", T0);
    for (int i = 1; i <= 300; i++) {
      writes.add(registry.putFramework(f.seenAt(T0.plusSeconds(i))));
      writes.add(registry.admitAgent(agent("agent-" + i, "host-" + i)));
      if (i % 2 == 0) {
        writes.add(registry.markAgentUnreachable(AgentId.of("agent-" + i), T0.plusSeconds(i)));
      }
    }
    writes.add(registry.removeFramework(FrameworkId.of("busy")));
    writes.add(registry.putFramework(framework("after", T0)));
    for (CompletionStage<Void> write : writes) {
      await(write);
    }

    RegistrySnapshot snapshot = await(registry.recover());
    assertThat(snapshot.frameworks()).containsOnlyKeys(FrameworkId.of("after"));
    assertThat(snapshot.completedFrameworks()).containsExactly(FrameworkId.of("busy"));
    assertThat(snapshot.agents()).hasSize(150);
    assertThat(snapshot.unreachable()).hasSize(150).containsKey(AgentId.of("agent-300"));
  }

  @Test
  void operatorDecisionsAboutAgentsAndMachinesAreKept() throws Exception {
    Registry registry = newRegistry();
    AgentInfo a1 = agent("a1", "host-1");
    AgentInfo a2 = agent("a2", "host-2");
    await(registry.admitAgent(a1));
    await(registry.admitAgent(a2));
    AgentAdminRecord draining = new AgentAdminRecord(a1.id(), true,
        new AgentAdminRecord.Drain(5_000_000_000L, true, AgentAdminRecord.Drain.State.DRAINING));
    await(registry.putAgentAdmin(draining));
    AgentReservations reserved = new AgentReservations(a1.id(), List.of(Resource.scalar("cpus", 1)));
    await(registry.putReservations(reserved));
    RegistrySnapshot.Operated operated = await(registry.recover()).operated();
    assertThat(operated.agentAdmin()).containsEntry(a1.id(), draining);
    assertThat(operated.reservations()).containsEntry(a1.id(), reserved);

    // Gone: no longer admitted, deactivated or reserving; remembered as gone.
    await(registry.markAgentGone(new GoneAgent(a1.id(), T0)));
    RegistrySnapshot afterGone = await(registry.recover());
    assertThat(afterGone.agents()).containsOnlyKeys(a2.id());
    assertThat(afterGone.operated().agentAdmin()).isEmpty();
    assertThat(afterGone.operated().reservations()).isEmpty();
    assertThat(afterGone.operated().gone()).containsEntry(a1.id(), new GoneAgent(a1.id(), T0));

    // A machine goes down with its agent in one unit, and comes back up out of the schedule.
    MaintenanceSchedule.MachineId host2 = new MaintenanceSchedule.MachineId("host-2", null);
    await(registry.putMaintenanceSchedule(schedule("host-2", "m9")));
    await(registry.startMaintenance(List.of(new DownMachine(host2, T0)), List.of(a2.id())));
    RegistrySnapshot down = await(registry.recover());
    assertThat(down.agents()).isEmpty();
    assertThat(down.operated().downMachines()).containsExactly(new DownMachine(host2, T0));
    await(registry.stopMaintenance(List.of(host2), schedule("m9")));
    RegistrySnapshot up = await(registry.recover());
    assertThat(up.operated().downMachines()).isEmpty();
    assertThat(up.maintenance()).isEqualTo(schedule("m9"));

    // Emptied reservations leave no entry.
    await(registry.putReservations(new AgentReservations(a2.id(), List.of(Resource.scalar("mem", 64)))));
    await(registry.putReservations(new AgentReservations(a2.id(), List.of())));
    assertThat(await(registry.recover()).operated().reservations()).isEmpty();
  }

  @Test
  void everyWriteOfADeposedLeaderIsFenced() throws Exception {
    Registry registry = newRegistry();
    await(registry.admitAgent(agent("a1", "host")));
    depose(registry);

    List<Function<Registry, CompletionStage<Void>>> writes =
        List.of(
            r -> r.admitAgent(agent("a2", "host")),
            r -> r.removeAgent(AgentId.of("a1")),
            r -> r.markAgentUnreachable(AgentId.of("a1"), T0),
            r -> r.putFramework(framework("f1", T0)),
            r -> r.removeFramework(FrameworkId.of("f1")),
            r -> r.putWeights(Map.of("dev", 2.0)),
            r -> r.putQuota("dev", new QuotaRecord(Map.of(), Map.of("cpus", 1.0))),
            r -> r.removeQuota("dev"),
            r -> r.putMaintenanceSchedule(schedule("m1")),
            r -> r.putAgentAdmin(new AgentAdminRecord(AgentId.of("a1"), true, null)),
            r -> r.removeAgentAdmin(AgentId.of("a1")),
            r -> r.markAgentGone(new GoneAgent(AgentId.of("a1"), T0)),
            r -> r.startMaintenance(List.of(), List.of(AgentId.of("a1"))),
            r -> r.stopMaintenance(List.of(), schedule("m1")),
            r -> r.putReservations(new AgentReservations(AgentId.of("a1"), List.of())));
    for (Function<Registry, CompletionStage<Void>> write : writes) {
      assertThat(failure(write.apply(registry)))
          .isInstanceOf(FencedException.class)
          .hasMessageContaining("refused")
          .hasMessageContaining("deposed");
    }
  }

  // ---- helpers ----

  static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** The exception {@code stage} fails with (it must fail). */
  static Throwable failure(CompletionStage<?> stage) throws Exception {
    CompletableFuture<?> future = stage.toCompletableFuture();
    try {
      future.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the write to fail, but it succeeded");
  }

  static AgentInfo agent(String id, String hostname) {
    return new AgentInfo(
        hostname, 5051, List.of(Resource.scalar("cpus", 4.0), Resource.scalar("mem", 8192.0)), List.of(),
        AgentId.of(id));
  }

  static FrameworkRecord framework(String id, Instant registered) {
    FrameworkInfo info =
        new FrameworkInfo("user", "fw " + id, FrameworkId.of(id), 60.0, true, null, List.of("dev"),
            "host", null, null, List.of(new FrameworkInfo.Capability(FrameworkInfo.Capability.Type.MULTI_ROLE)),
            null);
    return new FrameworkRecord(info, registered, registered);
  }

  static MaintenanceSchedule schedule(String... hosts) {
    List<MaintenanceSchedule.MachineId> machines = new ArrayList<>();
    for (String host : hosts) {
      machines.add(new MaintenanceSchedule.MachineId(host, "10.0.0.1"));
    }
    return new MaintenanceSchedule(
        List.of(
            new MaintenanceSchedule.Window(
                machines,
                new Unavailability(
                    new TimeInfo(T0.toEpochMilli() * 1_000_000L), DurationInfo.of(Duration.ofHours(2))))));
  }

  private static Map.Entry<AgentId, AgentInfo> entry(AgentInfo info) {
    return Map.entry(info.id(), info);
  }
}
