package dev.terrace.master.registry;

import static dev.terrace.master.registry.RegistryContractTest.agent;
import static dev.terrace.master.registry.RegistryContractTest.await;
import static dev.terrace.master.registry.RegistryContractTest.failure;
import static dev.terrace.master.registry.RegistryContractTest.framework;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.Address;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.ZkUrl;
import dev.terrace.master.election.LeadershipListener;
import dev.terrace.master.election.ZooKeeperLeaderContender;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryForever;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case the epoch exists for: leader A is paused past its session timeout, B is elected and
 * opens the registry, then A resumes still holding its registry and believing it leads. A's
 * writes, the one issued just before the pause and those after it resumes, must all be refused,
 * and B's state must be untouched.
 */
class ZooKeeperRegistryLeaderPauseTest {
  private static final Duration SESSION = Duration.ofSeconds(2);
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String BASE = "/terrace";

  @TempDir Path dataDir;
  private EmbeddedZooKeeper zk;
  private FreezableTcpProxy proxyA;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    zk = new EmbeddedZooKeeper(0, dataDir).start();
    proxyA = new FreezableTcpProxy(zk.port());
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    proxyA.close();
    zk.close();
  }

  @Test
  void aLeaderPausedPastItsSessionTimeoutCannotWriteWhenItResumes() throws Exception {
    // Master A reaches ZooKeeper only through the proxy, both for the election and the registry.
    Leadership a = new Leadership();
    ZooKeeperLeaderContender contenderA = closeLater(new ZooKeeperLeaderContender(url(proxyA.connectString()), SESSION));
    contenderA.start(master("a", 5051), a);
    await().atMost(PATIENCE).until(() -> a.leading);
    CuratorFramework clientA = client(proxyA.connectString());
    ZooKeeperRegistry registryA = await(ZooKeeperRegistry.open(clientA, BASE));
    await(registryA.admitAgent(agent("agent-1", "host-1")));
    await(registryA.putFramework(framework("fw-1", Instant.EPOCH)));

    Leadership b = new Leadership();
    ZooKeeperLeaderContender contenderB = closeLater(new ZooKeeperLeaderContender(url(zk.connectString()), SESSION));
    contenderB.start(master("b", 5052), b);

    // A stops dead. Its last act before the pause: a write it believes is a leader's.
    proxyA.freeze();
    CompletionStage<Void> pendingA = registryA.removeAgent(AgentId.of("agent-1"));

    // The server expires A's session, which deletes A's latch node, and B is elected. B's master
    // opens the registry (bumping the epoch) and recovers before serving, then writes.
    await().atMost(PATIENCE).until(() -> b.leading);
    ZooKeeperRegistry registryB = await(ZooKeeperRegistry.open(client(zk.connectString()), BASE));
    RegistrySnapshot recoveredByB = await(registryB.recover());
    assertThat(recoveredByB.agents()).containsOnlyKeys(AgentId.of("agent-1"));
    await(registryB.admitAgent(agent("agent-2", "host-2")));

    // A resumes. Its client reconnects (on a new session: the old one expired) and its queued
    // write goes out, as do new ones; to ZooKeeper these are writes of a live session.
    proxyA.unfreeze();
    assertThat(failure(pendingA)).isInstanceOf(FencedException.class);
    await().atMost(PATIENCE).until(() -> clientA.getZookeeperClient().isConnected());
    // A can talk to ZooKeeper again (a read works); only the epoch stops its writes.
    assertThat(clientA.checkExists().forPath(BASE + "/registry/agents/agent-2")).isNotNull();
    assertThat(failure(registryA.removeAgent(AgentId.of("agent-2")))).isInstanceOf(FencedException.class);
    assertThat(failure(registryA.removeFramework(FrameworkId.of("fw-1")))).isInstanceOf(FencedException.class);
    assertThat(registryA.isFenced()).isTrue();

    RegistrySnapshot finalState = await(registryB.recover());
    assertThat(finalState.agents()).containsOnlyKeys(AgentId.of("agent-1"), AgentId.of("agent-2"));
    assertThat(finalState.frameworks()).containsOnlyKeys(FrameworkId.of("fw-1"));
    assertThat(finalState.completedFrameworks()).isEmpty();
    assertThat(b.leading).isTrue();
  }

  private CuratorFramework client(String connectString) {
    CuratorFramework client =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .sessionTimeoutMs((int) SESSION.toMillis())
            .connectionTimeoutMs((int) SESSION.toMillis())
            // Keep retrying through the pause, so that A's pending write really is sent again after
            // it resumes (with a policy that gives up it would fail with a connection error, which
            // is also safe but would not exercise the fence).
            .retryPolicy(new RetryForever(100))
            .build();
    client.start();
    toClose.add(client);
    return client;
  }

  private static ZkUrl url(String connectString) {
    return ZkUrl.parse("zk://" + connectString + BASE);
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static MasterInfo master(String id, int port) {
    return new MasterInfo(
        id, MasterInfo.packIpv4("127.0.0.1"), port, "master@127.0.0.1:" + port, "localhost", "0.1.0",
        new Address("localhost", "127.0.0.1", port));
  }

  /** Whether the contender currently leads, as its listener was last told. */
  private static final class Leadership implements LeadershipListener {
    volatile boolean leading;

    @Override
    public void elected() {
      leading = true;
    }

    @Override
    public void lost(String reason) {
      leading = false;
    }
  }
}
