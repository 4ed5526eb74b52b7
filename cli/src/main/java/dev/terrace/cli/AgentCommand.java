package dev.terrace.cli;

import dev.terrace.agent.AgentConfig;
import dev.terrace.cli.security.AgentSecurityOptions;
import dev.terrace.agent.AgentServer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run an agent: it registers with the leading master and runs tasks as containers.")
final class AgentCommand implements Callable<Integer> {
  @Option(names = "--master", required = true, defaultValue = "${env:TERRACE_MASTER}",
      description = "zk://host:port/path or http://host:port (env TERRACE_MASTER).")
  String master;

  @Option(names = "--port", defaultValue = "${env:TERRACE_AGENT_PORT:-5051}",
      description = "HTTP port (env TERRACE_AGENT_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--hostname", defaultValue = "${env:TERRACE_HOSTNAME}",
      description = "Name or address the master and frameworks reach this agent at (env TERRACE_HOSTNAME).")
  String hostname;

  @Option(names = "--ip", defaultValue = "${env:TERRACE_IP:-0.0.0.0}",
      description = "Address to listen on (env TERRACE_IP, default ${DEFAULT-VALUE}).")
  String ip;

  @Option(names = "--advertise-ip", defaultValue = "${env:TERRACE_ADVERTISE_IP}",
      description = "Address the master and frameworks reach this agent at, when it is not one it"
          + " binds (NAT, several interfaces); reported instead of --hostname (env TERRACE_ADVERTISE_IP).")
  String advertiseIp;

  @Option(names = "--advertise-port", defaultValue = "${env:TERRACE_ADVERTISE_PORT}",
      description = "Port the master and frameworks reach this agent at, when it differs from"
          + " --port (env TERRACE_ADVERTISE_PORT).")
  Integer advertisePort;

  @Option(names = "--work-dir", defaultValue = "${env:TERRACE_WORK_DIR}",
      description = "Sandboxes, containers and checkpoints (env TERRACE_WORK_DIR).")
  Path workDir;

  @Option(names = "--resources", defaultValue = "${env:TERRACE_RESOURCES}",
      description = "Override detected resources, e.g. 'cpus:2;mem:2048;ports:[31000-32000]' (env TERRACE_RESOURCES).")
  String resources;

  @Option(names = "--attributes", defaultValue = "${env:TERRACE_ATTRIBUTES}",
      description = "Host attributes, e.g. 'rack:r1;zone:a' (env TERRACE_ATTRIBUTES).")
  String attributes;

  @picocli.CommandLine.Mixin
  ContainerOptions containers = new ContainerOptions();

  @picocli.CommandLine.Mixin
  AgentSecurityOptions security = new AgentSecurityOptions();

  @picocli.CommandLine.Mixin
  dev.terrace.cli.security.ZooKeeperTlsOptions zkTls = new dev.terrace.cli.security.ZooKeeperTlsOptions();

  @picocli.CommandLine.Mixin
  StorageOptions storage = new StorageOptions();

  @Override
  public Integer call() throws Exception {
    AgentConfig config = config();
    AgentServer agent = Components.startAgent(config, containers, storage);
    System.err.println("terrace: agent listening on port " + agent.port() + ", master " + master);
    Components.runUntilStopped(agent);
    return 0;
  }

  AgentConfig config() throws java.io.IOException {
    Path dir = Defaults.ensureDir(workDir != null ? workDir : Defaults.workDir("agent"));
    String host = advertiseIp != null ? advertiseIp : hostname != null ? hostname : Defaults.hostname();
    zkTls.apply(dir);
    return new AgentConfig(master, host, ip, port, dir, resources, attributes, containers.runtime,
        containers.mountMissingCgroups, containers.insecureRegistries, containers.dockerConfig,
        advertisePort, security.toSecurity());
  }
}
