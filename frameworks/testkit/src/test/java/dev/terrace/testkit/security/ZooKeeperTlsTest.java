package dev.terrace.testkit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.MasterInfo;
import dev.terrace.discovery.MasterDetector;
import dev.terrace.discovery.ZooKeeperTls;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ZooKeeper over TLS: an embedded server that speaks only TLS, and a master whose contender,
 * registry and detector all reach it through the process's ZooKeeper TLS settings.
 */
class ZooKeeperTlsTest {
  @TempDir
  Path dir;

  @Test
  void aMasterElectsAndIsDetectedOverTlsAndPlainClientsGetNoSession() throws Exception {
    TestCertificates ca = TestCertificates.newCa(dir.resolve("ca"), "terrace-zk-ca");
    Path[] server = ca.issue("zk", true);
    Path keyStore = ZooKeeperTls.combine(server[0], server[1], dir.resolve("zk-keystore.pem"));
    try (AutoCloseable tls = new ZooKeeperTls(ca.caCert, keyStore).applyToThisProcess();
        EmbeddedZooKeeper zk = new EmbeddedZooKeeper(0, dir.resolve("zk")).secure().start()) {
      String url = "zk://" + zk.connectString() + "/terrace";
      try (MasterServer master = MasterServer.start(MasterConfig.builder().port(0)
              .workDir(dir.resolve("master")).zkUrl(url).build());
          MasterDetector detector = MasterDetector.forUrl(url)) {
        await().atMost(Duration.ofSeconds(30)).until(master::isLeader);
        MasterInfo leader = detector.awaitLeader().get(30, TimeUnit.SECONDS);
        assertThat(leader.port()).isEqualTo(master.port());
      }

      // A client without TLS reaches the port but never gets a session.
      ZKClientConfig plain = new ZKClientConfig();
      plain.setProperty(ZKClientConfig.SECURE_CLIENT, "false");
      plain.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNIO");
      CountDownLatch connected = new CountDownLatch(1);
      ZooKeeper client = new ZooKeeper(zk.connectString(), 4000, e -> {
        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
          connected.countDown();
        }
      }, false, plain);
      try {
        assertThat(connected.await(3, TimeUnit.SECONDS)).isFalse();
      } finally {
        client.close();
      }
    }
  }
}
