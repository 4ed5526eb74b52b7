package dev.terrace.bench.soak;

import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The soak's masters, in this JVM, contending through one ZooKeeper. Killing one closes it at once
 * ({@link MasterServer#close}: it stops acting, its Vert.x closes every connection and its
 * ZooKeeper sessions close, so a standby takes over without waiting for a session to expire); a
 * fresh instance then joins as a standby in its place. Not a {@code kill -9}: that needs master
 * processes, which in-process agents cannot reach.
 */
final class SoakMasters implements AutoCloseable {
  private final String zkUrl;
  private final Path dir;
  private final List<MasterServer> live = new CopyOnWriteArrayList<>();
  private int started;

  SoakMasters(String zkUrl, Path dir) {
    this.zkUrl = zkUrl;
    this.dir = dir;
  }

  void start(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      live.add(startOne());
    }
  }

  private MasterServer startOne() throws Exception {
    return MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1").bindHost("127.0.0.1")
        .port(0).workDir(dir.resolve("master-" + started++)).zkUrl(zkUrl).build());
  }

  /** The leading master, or null while none leads (during an election). */
  MasterServer leader() {
    for (MasterServer m : live) {
      if (m.isLeader()) {
        return m;
      }
    }
    return null;
  }

  MasterServer awaitLeader(long timeoutMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    MasterServer m;
    while ((m = leader()) == null) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("no leading master within " + timeoutMillis + " ms");
      }
      Thread.sleep(20);
    }
    return m;
  }

  /**
   * Kills the leader (null if none leads now) and starts a standby in its place. {@code killed}
   * hears of the dead instance once it is closed, to drop what was connected to it.
   */
  MasterServer killLeader(java.util.function.Consumer<MasterServer> killed) throws Exception {
    MasterServer leader = leader();
    if (leader == null) {
      return null;
    }
    live.remove(leader);
    leader.close();
    killed.accept(leader);
    live.add(startOne());
    return leader;
  }

  @Override
  public void close() {
    List<MasterServer> all = new ArrayList<>(live);
    live.clear();
    all.forEach(MasterServer::close);
  }
}
