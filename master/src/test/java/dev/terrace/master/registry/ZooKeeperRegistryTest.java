package dev.terrace.master.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against a real (embedded) ZooKeeper server, plus what only ZooKeeper has. */
class ZooKeeperRegistryTest extends RegistryContractTest {
  private static final AtomicInteger BASES = new AtomicInteger();

  @TempDir Path dataDir;
  private EmbeddedZooKeeper zk;
  private final List<CuratorFramework> clients = new ArrayList<>();
  private String base;

  @BeforeEach
  void startZooKeeper() {
    zk = new EmbeddedZooKeeper(0, dataDir).start();
    base = "/terrace-" + BASES.incrementAndGet();
  }

  @AfterEach
  void stopZooKeeper() {
    clients.forEach(CuratorFramework::close);
    zk.close();
  }

  @Override
  Registry newRegistry() throws Exception {
    return open(newClient());
  }

  @Override
  void depose(Registry registry) throws Exception {
    open(newClient()); // a newer leader opens the registry
  }

  @Test
  void aSecondLeaderFencesTheFirstWhoseFailedWritesChangeNothing() throws Exception {
    ZooKeeperRegistry first = open(newClient());
    await(first.admitAgent(agent("a1", "host-1")));
    await(first.putFramework(framework("f1", T0)));

    ZooKeeperRegistry second = open(newClient());
    assertThat(second.epoch()).isGreaterThan(first.epoch());
    RegistrySnapshot recovered = await(second.recover());
    assertThat(recovered.agents()).containsOnlyKeys(AgentId.of("a1"));
    await(second.admitAgent(agent("a2", "host-2")));

    // Each of these would change what the second leader wrote or recovered.
    assertThat(failure(first.removeAgent(AgentId.of("a2")))).isInstanceOf(FencedException.class);
    assertThat(failure(first.admitAgent(agent("a3", "host-3")))).isInstanceOf(FencedException.class);
    assertThat(failure(first.removeFramework(FrameworkId.of("f1")))).isInstanceOf(FencedException.class);
    assertThat(first.isFenced()).isTrue();
    assertThat(second.isFenced()).isFalse();

    RegistrySnapshot after = await(second.recover());
    assertThat(after.agents()).containsOnlyKeys(AgentId.of("a1"), AgentId.of("a2"));
    assertThat(after.frameworks()).containsOnlyKeys(FrameworkId.of("f1"));
    assertThat(after.completedFrameworks()).isEmpty();
  }

  @Test
  void manyWritesQueuedAtOnceAreFencedTogether() throws Exception {
    ZooKeeperRegistry first = open(newClient());
    await(first.admitAgent(agent("a0", "host")));
    open(newClient());

    List<Throwable> failures = new ArrayList<>();
    List<java.util.concurrent.CompletionStage<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      writes.add(first.admitAgent(agent("late-" + i, "host")));
    }
    for (var write : writes) {
      failures.add(failure(write));
    }
    assertThat(failures).allMatch(FencedException.class::isInstance);
    assertThat(await(open(newClient()).recover()).agents()).containsOnlyKeys(AgentId.of("a0"));
  }

  @Test
  void dataSurvivesAServerRestartAndAFreshClient() throws Exception {
    CuratorFramework client = newClient();
    ZooKeeperRegistry registry = open(client);
    await(registry.admitAgent(agent("a1", "host-1")));
    await(registry.markAgentUnreachable(AgentId.of("a1"), T0));
    await(registry.putFramework(framework("f1", T0)));
    await(registry.putWeights(Map.of("dev", 2.0)));
    await(registry.putQuota("dev", new QuotaRecord(Map.of("cpus", 1.0), Map.of())));
    await(registry.putMaintenanceSchedule(schedule("m1")));
    RegistrySnapshot written = await(registry.recover());
    client.close();

    zk.stop();
    zk.start();

    ZooKeeperRegistry reopened = open(newClient());
    assertThat(await(reopened.recover())).isEqualTo(written);
    assertThat(written.unreachable()).containsKey(AgentId.of("a1"));
    assertThat(written.maintenance()).isEqualTo(schedule("m1"));
  }

  @Test
  void aWriteWhoseOutcomeIsUnknownFailsAsSuchAndTheNextOneStartsFromTheTrueState() throws Exception {
    CuratorFramework impatient =
        CuratorFrameworkFactory.builder()
            .connectString(zk.connectString())
            .sessionTimeoutMs(10_000)
            .connectionTimeoutMs(1_000)
            .retryPolicy(new RetryNTimes(1, 100))
            .build();
    impatient.start();
    clients.add(impatient);
    ZooKeeperRegistry registry = open(impatient);
    await(registry.admitAgent(agent("a1", "host-1")));

    zk.stop();
    Throwable lost = failure(registry.removeAgent(AgentId.of("a1")));
    assertThat(lost).isInstanceOf(RegistryException.class).isNotInstanceOf(FencedException.class)
        .hasMessageContaining("may or may not have been applied");
    zk.start();
    // This client retries only once, so let it reconnect before writing again (under load the
    // reconnection can take longer than its one retry).
    assertThat(impatient.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    // The registry no longer trusts its idea of which znodes exist; it reloads it, so this
    // removal (a delete, which would fail the transaction were a1 already gone) goes through.
    await(registry.removeAgent(AgentId.of("a1")));
    await(registry.admitAgent(agent("a2", "host-2")));
    assertThat(await(registry.recover()).agents()).containsOnlyKeys(AgentId.of("a2"));
    assertThat(registry.isFenced()).isFalse();
  }

  @Test
  void layoutIsPersistentZnodesWithJsonAndUrlEncodedNames() throws Exception {
    CuratorFramework client = newClient();
    ZooKeeperRegistry registry = open(client);
    await(registry.admitAgent(agent("rack 1/agent", "host-1")));

    String registryPath = base + "/registry";
    assertThat(client.getChildren().forPath(registryPath))
        .containsExactlyInAnyOrder(
            "epoch", "agents", "unreachable", "frameworks", "completed_frameworks", "weights",
            "quota", "maintenance", "agent_admin", "gone", "down_machines", "reservations");
    for (String path :
        List.of(base, registryPath, registryPath + "/epoch", registryPath + "/quota", registryPath + "/agents")) {
      Stat stat = client.checkExists().forPath(path);
      // A container node would have the container marker as its ephemeral owner (and be deleted
      // by the server when empty); a plain persistent node has none.
      assertThat(stat.getEphemeralOwner()).as(path).isZero();
    }
    String json =
        new String(
            client.getData().forPath(registryPath + "/agents/rack%201%2Fagent"), StandardCharsets.UTF_8);
    assertThat(json).contains("\"hostname\":\"host-1\"").contains("\"value\":\"rack 1/agent\"");
    assertThat(client.checkExists().forPath(registryPath + "/epoch").getVersion()).isEqualTo(registry.epoch());
  }

  private ZooKeeperRegistry open(CuratorFramework client) throws Exception {
    return await(ZooKeeperRegistry.open(client, base, COMPLETED_LIMIT, Clock.systemUTC()));
  }

  private CuratorFramework newClient() {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(zk.connectString())
            .sessionTimeoutMs(10_000)
            .connectionTimeoutMs(10_000)
            .retryPolicy(new RetryNTimes(50, 100))
            .build();
    client.start();
    clients.add(client);
    return client;
  }
}
