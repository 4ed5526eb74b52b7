package dev.terrace.master.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperTest {
  @TempDir Path dataDir;

  @Test
  void portZeroPicksAFreePortAndRestartsKeepPortAndData() throws Exception {
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(0, dataDir).start()) {
      int port = zk.port();
      assertThat(port).isPositive();
      assertThat(zk.connectString()).isEqualTo("127.0.0.1:" + port);

      write(zk, "/terrace/registry/a", "one");
      zk.stop();
      assertThat(zk.isRunning()).isFalse();
      assertThat(canBind(port)).as("port released on stop").isTrue();

      zk.start();
      assertThat(zk.port()).isEqualTo(port);
      assertThat(read(zk, "/terrace/registry/a")).isEqualTo("one");
      write(zk, "/terrace/registry/b", "two");
    }
    // A new server on the same directory sees everything written before.
    try (EmbeddedZooKeeper again = new EmbeddedZooKeeper(0, dataDir).start()) {
      assertThat(read(again, "/terrace/registry/a")).isEqualTo("one");
      assertThat(read(again, "/terrace/registry/b")).isEqualTo("two");
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void write(EmbeddedZooKeeper zk, String path, String data) throws Exception {
    try (CuratorFramework client = client(zk)) {
      client.create().creatingParentsIfNeeded().forPath(path, data.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(EmbeddedZooKeeper zk, String path) throws Exception {
    try (CuratorFramework client = client(zk)) {
      return new String(client.getData().forPath(path), StandardCharsets.UTF_8);
    }
  }

  private static CuratorFramework client(EmbeddedZooKeeper zk) throws InterruptedException {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100));
    client.start();
    client.blockUntilConnected();
    return client;
  }
}
