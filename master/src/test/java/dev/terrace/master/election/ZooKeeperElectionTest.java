package dev.terrace.master.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.Address;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.LeaderPaths;
import dev.terrace.discovery.MasterDetector;
import dev.terrace.discovery.ZkUrl;
import dev.terrace.discovery.ZooKeeperMasterDetector;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Contenders and detectors against a real (embedded) ZooKeeper server. */
class ZooKeeperElectionTest {
  private static final Duration SHORT_SESSION = Duration.ofSeconds(2);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path dataDir;
  private EmbeddedZooKeeper zk;
  private ZkUrl url;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeEach
  void startZooKeeper() {
    zk = new EmbeddedZooKeeper(0, dataDir).start();
    url = ZkUrl.parse("zk://" + zk.connectString() + "/terrace");
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    zk.close();
  }

  @Test
  void oneOfTwoLeadsTheDetectorFollowsAndClosingHandsOver() {
    MasterInfo infoA = master("a", 5051);
    MasterInfo infoB = master("b", 5052);
    RecordingListener listenerA = new RecordingListener();
    RecordingListener listenerB = new RecordingListener();
    ZooKeeperLeaderContender a = contender(Duration.ofSeconds(10));
    ZooKeeperLeaderContender b = contender(Duration.ofSeconds(10));
    MasterDetector detector = closeLater(MasterDetector.forUrl(url.toString()));
    List<Optional<MasterInfo>> seen = new CopyOnWriteArrayList<>();
    detector.addListener(seen::add);

    a.start(infoA, listenerA);
    b.start(infoB, listenerB);

    await().atMost(PATIENCE).until(() -> a.isLeader() || b.isLeader());
    assertThat(a.isLeader() && b.isLeader()).as("never two leaders").isFalse();
    boolean aLeads = a.isLeader();
    ZooKeeperLeaderContender leader = aLeads ? a : b;
    ZooKeeperLeaderContender standby = aLeads ? b : a;
    MasterInfo leaderInfo = aLeads ? infoA : infoB;
    MasterInfo standbyInfo = aLeads ? infoB : infoA;
    RecordingListener leaderListener = aLeads ? listenerA : listenerB;
    RecordingListener standbyListener = aLeads ? listenerB : listenerA;

    await().atMost(PATIENCE).until(() -> detector.leader().equals(Optional.of(leaderInfo)));
    await().until(() -> leaderListener.events.contains("elected"));
    assertThat(standbyListener.events).isEmpty();
    assertThat(leaderListener.threads).allMatch(t -> t.startsWith("leader-contender"));

    leader.close();

    await().atMost(PATIENCE).until(standby::isLeader);
    assertThat(leader.isLeader()).isFalse();
    await().atMost(PATIENCE).until(() -> detector.leader().equals(Optional.of(standbyInfo)));
    await().until(() -> standbyListener.events.contains("elected"));
    await().until(() -> leaderListener.last().equals("lost: contender closed"));
    // The detector went from (maybe nothing, then) the first leader to the second, never back.
    await().until(() -> seen.get(seen.size() - 1).equals(Optional.of(standbyInfo)));
    assertThat(seen).first().isEqualTo(Optional.empty());
    assertThat(seen.stream().filter(Optional::isPresent).map(Optional::get))
        .containsExactly(leaderInfo, standbyInfo);
  }

  @Test
  void leaderWhoseServerStopsIsToldAtOnceAndLeadsAgainAfterRestart() {
    RecordingListener listener = new RecordingListener();
    ZooKeeperLeaderContender contender = contender(SHORT_SESSION);
    contender.start(master("a", 5051), listener);
    await().atMost(PATIENCE).until(() -> listener.events.contains("elected"));

    zk.stop();

    await().atMost(PATIENCE).until(() -> listener.last().startsWith("lost"));
    assertThat(listener.last()).isEqualTo("lost: ZooKeeper connection suspended or lost");
    assertThat(contender.isLeader()).isFalse();

    zk.start();

    await().atMost(PATIENCE).until(() -> listener.last().equals("elected"));
    assertThat(contender.isLeader()).isTrue();
  }

  @Test
  void detectorWithoutLeaderReportsNoneUntilSomeoneIsElected() throws Exception {
    ZooKeeperMasterDetector detector = closeLater(new ZooKeeperMasterDetector(url, SHORT_SESSION));
    List<Optional<MasterInfo>> seen = new CopyOnWriteArrayList<>();
    detector.addListener(seen::add);
    await().until(() -> !seen.isEmpty());
    assertThat(seen.get(0)).isEmpty();
    assertThat(detector.leader()).isEmpty();
    CompletableFuture<MasterInfo> awaited = detector.awaitLeader();
    assertThat(awaited).isNotDone();

    MasterInfo info = master("a", 5051);
    contender(SHORT_SESSION).start(info, new RecordingListener());

    assertThat(awaited.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(info);
    assertThat(detector.leader()).contains(info);
    assertThat(detector.awaitLeader()).isCompletedWithValue(info);
  }

  @Test
  void garbageInTheLowestNodeMeansNoLeaderAndStrayNodesAreIgnored() throws Exception {
    String leaderPath = LeaderPaths.leaderPath(url.basePath());
    try (CuratorFramework raw =
        CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100))) {
      raw.start();
      // Lowest sequence number, so the latch itself also sees it as the leader.
      String garbage =
          raw.create()
              .creatingParentsIfNeeded()
              .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
              .forPath(leaderPath + "/_c_junk-latch-", "not json {".getBytes(StandardCharsets.UTF_8));
      raw.create().forPath(leaderPath + "/stray", "{}".getBytes(StandardCharsets.UTF_8));

      ZooKeeperMasterDetector detector =
          closeLater(new ZooKeeperMasterDetector(url, SHORT_SESSION));
      MasterInfo info = master("a", 5051);
      RecordingListener listener = new RecordingListener();
      ZooKeeperLeaderContender contender = contender(SHORT_SESSION);
      contender.start(info, listener);
      // Once the contender's node exists the garbage still sorts first: neither the latch nor the
      // detector may name a leader.
      await()
          .atMost(PATIENCE)
          .until(() -> raw.getChildren().forPath(leaderPath).size() == 3);
      CompletableFuture<MasterInfo> awaited = detector.awaitLeader();
      assertThat(detector.leader()).isEmpty();
      assertThat(contender.isLeader()).isFalse();

      raw.delete().forPath(garbage);

      assertThat(awaited.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(info);
      await().atMost(PATIENCE).until(contender::isLeader);
    }
  }

  private ZooKeeperLeaderContender contender(Duration sessionTimeout) {
    return closeLater(new ZooKeeperLeaderContender(url, sessionTimeout));
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static MasterInfo master(String id, int port) {
    return new MasterInfo(
        id,
        MasterInfo.packIpv4("127.0.0.1"),
        port,
        "master@127.0.0.1:" + port,
        "localhost",
        "0.1.0",
        new Address("localhost", "127.0.0.1", port));
  }
}
