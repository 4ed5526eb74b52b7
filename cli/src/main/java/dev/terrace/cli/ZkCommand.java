package dev.terrace.cli;

import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "zk", mixinStandardHelpOptions = true,
    description = "Run a standalone ZooKeeper server for development.")
final class ZkCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "${env:TERRACE_ZK_PORT:-2181}",
      description = "Client port (env TERRACE_ZK_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "${env:TERRACE_ZK_DATA_DIR}",
      description = "Snapshot and log directory (env TERRACE_ZK_DATA_DIR; default under the work dir).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : Defaults.workDir("zk");
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(port, Defaults.ensureDir(dir)).start();
    System.err.println("terrace: ZooKeeper listening on " + zk.connectString() + " (data in " + dir + ")");
    Components.runUntilStopped(zk);
    return 0;
  }
}
