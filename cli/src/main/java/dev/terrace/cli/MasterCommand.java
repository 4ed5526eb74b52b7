package dev.terrace.cli;

import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "master", mixinStandardHelpOptions = true,
    description = "Run a master. With --zk it contends for leadership; without, it leads alone.")
final class MasterCommand implements Callable<Integer> {
  @Option(names = "--zk", defaultValue = "${env:TERRACE_ZK}",
      description = "ZooKeeper URL zk://host:port[,host:port]/path (env TERRACE_ZK).")
  String zk;

  @Option(names = "--port", defaultValue = "${env:TERRACE_PORT:-5050}",
      description = "HTTP port (env TERRACE_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--hostname", defaultValue = "${env:TERRACE_HOSTNAME}",
      description = "Name or address others reach this master at (env TERRACE_HOSTNAME; default: this host's name).")
  String hostname;

  @Option(names = "--ip", defaultValue = "${env:TERRACE_IP:-0.0.0.0}",
      description = "Address to listen on (env TERRACE_IP, default ${DEFAULT-VALUE}).")
  String ip;

  @Option(names = "--advertise-ip", defaultValue = "${env:TERRACE_ADVERTISE_IP}",
      description = "Address published for this master (to agents, frameworks, redirects) when"
          + " others cannot reach it where --hostname resolves (env TERRACE_ADVERTISE_IP).")
  String advertiseIp;

  @Option(names = "--advertise-port", defaultValue = "${env:TERRACE_ADVERTISE_PORT}",
      description = "Port published for this master when it differs from --port (env TERRACE_ADVERTISE_PORT).")
  Integer advertisePort;

  @Option(names = "--work-dir", defaultValue = "${env:TERRACE_WORK_DIR}",
      description = "Directory for the master's files (env TERRACE_WORK_DIR).")
  Path workDir;

  @Option(names = "--exit-on-lost-leadership", defaultValue = "${env:TERRACE_EXIT_ON_LOST_LEADERSHIP:-false}",
      description = "Exit instead of rejoining as a standby after losing leadership (env TERRACE_EXIT_ON_LOST_LEADERSHIP).")
  boolean exitOnLostLeadership;

  @Option(names = "--agent-ping-timeout", defaultValue = "${env:TERRACE_AGENT_PING_TIMEOUT:-5}",
      description = "Seconds between pings of each agent, and to wait for the answer (default ${DEFAULT-VALUE}).")
  long agentPingTimeoutSeconds;

  @Option(names = "--max-agent-ping-timeouts", defaultValue = "${env:TERRACE_MAX_AGENT_PING_TIMEOUTS:-3}",
      description = "Missed pings after which an agent is unreachable (default ${DEFAULT-VALUE}).")
  int maxAgentPingTimeouts;

  @Option(names = "--agent-reregister-timeout", defaultValue = "${env:TERRACE_AGENT_REREGISTER_TIMEOUT:-120}",
      description = "Seconds agents have to re-register with a new leader (default ${DEFAULT-VALUE}).")
  long agentReregisterTimeoutSeconds;

  @Option(names = "--zk-session-timeout-ms", defaultValue = "${env:TERRACE_ZK_SESSION_TIMEOUT_MS:-4000}",
      description = "ZooKeeper session timeout; a dead leader is replaced after it (default ${DEFAULT-VALUE}).")
  long zkSessionTimeoutMs;

  @Option(names = "--offer-timeout", defaultValue = "${env:TERRACE_OFFER_TIMEOUT:-0}",
      description = "Seconds a framework may hold an offer before it is rescinded; 0 = no limit (default).")
  double offerTimeoutSeconds;

  @Override
  public Integer call() throws Exception {
    MasterServer master = MasterServer.start(config());
    System.err.println("terrace: master listening on " + master.url()
        + (zk == null ? " (standalone)" : " (contending through " + zk + ")"));
    Components.runUntilStopped(master);
    return 0;
  }

  MasterConfig config() throws java.io.IOException {
    Path dir = Defaults.ensureDir(workDir != null ? workDir : Defaults.workDir("master"));
    String host = hostname != null ? hostname : Defaults.hostname();
    return MasterConfig.builder().advertisedHost(host).bindHost(ip).port(port).workDir(dir)
        .advertisedIp(advertiseIp).advertisedPort(advertisePort)
        .zkUrl(zk).agentPingTimeout(Duration.ofSeconds(agentPingTimeoutSeconds))
        .maxAgentPingTimeouts(maxAgentPingTimeouts)
        .agentReregisterTimeout(Duration.ofSeconds(agentReregisterTimeoutSeconds))
        .exitOnLostLeadership(exitOnLostLeadership)
        .zkSessionTimeout(Duration.ofMillis(zkSessionTimeoutMs))
        .offerTimeout(offerTimeoutSeconds > 0 ? Duration.ofMillis((long) (offerTimeoutSeconds * 1000)) : null)
        .build();
  }
}
