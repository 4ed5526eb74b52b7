package dev.terrace.cli.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `terrace zk --config` runs a member of a real 3-node ZooKeeper ensemble (three processes on
 * loopback), masters elect a leader through `zk://h1,h2,h3/terrace`, and leadership survives the
 * loss of one ZooKeeper node (the ensemble keeps its quorum).
 */
class ZooKeeperEnsembleTest {
  private final List<Process> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(Process::destroyForcibly);
  }

  @Test
  void mastersElectThroughAThreeNodeEnsembleThatLosesANode(@TempDir Path dir) throws Exception {
    int[] client = new int[3];
    StringBuilder peers = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      client[i] = freePort();
      peers.append("server.").append(i + 1).append("=127.0.0.1:").append(freePort()).append(':')
          .append(freePort()).append('\n');
    }
    for (int i = 0; i < 3; i++) {
      Path data = Files.createDirectories(dir.resolve("zk" + i));
      Files.writeString(data.resolve("myid"), Integer.toString(i + 1));
      Path cfg = dir.resolve("zoo" + i + ".cfg");
      Files.writeString(cfg, "tickTime=500\ninitLimit=20\nsyncLimit=10\ndataDir=" + data
          + "\nclientPort=" + client[i] + "\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n"
          + "4lw.commands.whitelist=ruok\n" + peers);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      servers.add(new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
          "dev.terrace.cli.Terrace", "zk", "--config", cfg.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("zk" + i + ".log").toFile()).start());
    }
    String url = "zk://127.0.0.1:" + client[0] + ",127.0.0.1:" + client[1] + ",127.0.0.1:" + client[2]
        + "/terrace";
    try (MasterServer a = start(url, dir.resolve("a")); MasterServer b = start(url, dir.resolve("b"))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> a.isLeader() ^ b.isLeader());
      servers.get(2).destroyForcibly().waitFor();
      // Two of three nodes keep the quorum: the masters' sessions move to a live node and
      // exactly one master leads, steadily.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
          .until(() -> a.isLeader() ^ b.isLeader());
      assertThat(a.isLeader() || b.isLeader()).isTrue();
    }
  }

  private static MasterServer start(String zkUrl, Path workDir) throws Exception {
    return MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1").bindHost("127.0.0.1")
        .port(0).workDir(workDir).zkUrl(zkUrl).build());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
