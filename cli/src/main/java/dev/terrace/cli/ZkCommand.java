package dev.terrace.cli;

import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "zk", mixinStandardHelpOptions = true,
    description = "Run a standalone ZooKeeper server for development (loopback only), or an"
        + " ensemble member from a zoo.cfg with --config.")
final class ZkCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "${env:TERRACE_ZK_PORT:-2181}",
      description = "Client port (env TERRACE_ZK_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "${env:TERRACE_ZK_DATA_DIR}",
      description = "Snapshot and log directory (env TERRACE_ZK_DATA_DIR; default under the work dir).")
  Path dataDir;

  @Option(names = "--config", defaultValue = "${env:TERRACE_ZK_CONFIG}",
      description = "A ZooKeeper zoo.cfg (with server.N= lines for an ensemble member); when given,"
          + " it runs ZooKeeper's own QuorumPeerMain with it instead of the development server"
          + " (env TERRACE_ZK_CONFIG).")
  Path config;

  @picocli.CommandLine.Mixin
  dev.terrace.cli.security.ZooKeeperTlsOptions zkTls = new dev.terrace.cli.security.ZooKeeperTlsOptions();

  @Override
  public Integer call() throws Exception {
    if (config != null) {
      // An ensemble member: ZooKeeper's own entry point, exactly as `zkServer.sh` runs it.
      org.apache.zookeeper.server.quorum.QuorumPeerMain.main(new String[] {config.toString()});
      return 0;
    }
    Path dir = dataDir != null ? dataDir : Defaults.workDir("zk");
    zkTls.apply(Defaults.ensureDir(dir));
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(port, Defaults.ensureDir(dir));
    if (zkTls.servesTls()) {
      zk.secure();
    }
    zk.start();
    System.err.println("terrace: ZooKeeper listening on " + zk.connectString() + " (data in " + dir + ")");
    Components.runUntilStopped(zk);
    return 0;
  }
}
