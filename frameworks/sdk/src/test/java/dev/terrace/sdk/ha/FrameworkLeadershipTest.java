package dev.terrace.sdk.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.terrace.discovery.ZkUrl;
import dev.terrace.discovery.ZooKeeperClients;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Election, fenced writes and takeover against a real (in-process) ZooKeeper server. */
class FrameworkLeadershipTest {
  private TestingServer server;
  private CuratorFramework zkA;
  private CuratorFramework zkB;

  @BeforeEach
  void start() throws Exception {
    server = new TestingServer(true);
    zkA = client();
    zkB = client();
  }

  private CuratorFramework client() {
    CuratorFramework c = ZooKeeperClients.newClient(ZkUrl.parse("zk://" + server.getConnectString() + "/x"),
        Duration.ofSeconds(4));
    c.start();
    return c;
  }

  @AfterEach
  void stop() throws Exception {
    zkA.close();
    zkB.close();
    server.close();
  }

  static final class Recorder implements FrameworkLeadership.Listener {
    final AtomicReference<ZkStateStore> store = new AtomicReference<>();
    final AtomicInteger deposed = new AtomicInteger();

    @Override
    public void elected(ZkStateStore s) {
      store.set(s);
    }

    @Override
    public void deposed() {
      deposed.incrementAndGet();
      store.set(null);
    }
  }

  record Spec(String name, int cpus) {}

  @Test
  void oneLeadsAndTheOtherTakesOverWithTheStateAndFencesTheOld() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    FrameworkLeadership la = new FrameworkLeadership(zkA, "/fw", "http://a", a).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> a.store.get() != null);
    FrameworkLeadership lb = new FrameworkLeadership(zkB, "/fw", "http://b", b).start();
    assertThat(lb.leaderId()).contains("http://a");

    ZkStateStore first = a.store.get();
    first.write(List.of(ZkStateStore.Write.put("jobs/one", new Spec("one", 1)),
        ZkStateStore.Write.put("jobs/two", new Spec("two", 2)),
        ZkStateStore.Write.put("runs/one/0001", Map.of("state", "RUNNING"))));
    assertThat(b.store.get()).isNull();

    la.close();
    await().atMost(Duration.ofSeconds(30)).until(() -> b.store.get() != null);
    assertThat(a.deposed.get()).isEqualTo(1);
    ZkStateStore second = b.store.get();
    assertThat(second.epoch()).isGreaterThan(first.epoch());
    assertThat(second.readAll("jobs", Spec.class)).containsExactly(new Spec("one", 1), new Spec("two", 2));
    assertThat(second.children("runs/one")).containsExactly("0001");

    assertThatThrownBy(() -> first.put("jobs/three", new Spec("three", 3)))
        .isInstanceOf(FencedException.class);
    assertThat(second.read("jobs/three", Spec.class)).isEmpty();

    second.write(List.of(ZkStateStore.Write.delete("runs/one"), ZkStateStore.Write.delete("jobs/one")));
    assertThat(second.children("runs")).isEmpty();
    assertThat(second.read("jobs/one", Spec.class)).isEmpty();
    lb.close();
  }

  @Test
  void stepDownHandsLeadershipOver() throws Exception {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    FrameworkLeadership la = new FrameworkLeadership(zkA, "/fw2", "a", a).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> a.store.get() != null);
    FrameworkLeadership lb = new FrameworkLeadership(zkB, "/fw2", "b", b).start();
    la.stepDown();
    await().atMost(Duration.ofSeconds(30)).until(() -> b.store.get() != null);
    assertThat(a.deposed.get()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> lb.leaderId().equals(java.util.Optional.of("b")));
    la.close();
    lb.close();
  }

  @Test
  void badKeysAreRefused() throws Exception {
    Recorder a = new Recorder();
    FrameworkLeadership la = new FrameworkLeadership(zkA, "/fw3", "a", a).start();
    await().atMost(Duration.ofSeconds(30)).until(() -> a.store.get() != null);
    assertThatThrownBy(() -> a.store.get().put("/abs", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.store.get().put("a//b", 1)).isInstanceOf(IllegalArgumentException.class);
    la.close();
  }
}
