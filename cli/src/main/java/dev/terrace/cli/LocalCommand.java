package dev.terrace.cli;

import dev.terrace.agent.AgentConfig;
import dev.terrace.agent.auth.AgentCredential;
import dev.terrace.agent.auth.AgentSecurity;
import dev.terrace.cli.security.MasterSecurityOptions;
import dev.terrace.agent.AgentServer;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "local", mixinStandardHelpOptions = true,
    description = "Run a whole cluster in this process: ZooKeeper, a master and an agent.")
final class LocalCommand implements Callable<Integer> {
  @Option(names = "--work-dir", defaultValue = "${env:TERRACE_WORK_DIR}",
      description = "Where ZooKeeper, master and agent keep their files (env TERRACE_WORK_DIR).")
  Path workDir;

  @Option(names = "--zk-port", defaultValue = "${env:TERRACE_ZK_PORT:-2181}",
      description = "ZooKeeper port (default ${DEFAULT-VALUE}).")
  int zkPort;

  @Option(names = "--port", defaultValue = "${env:TERRACE_PORT:-5050}",
      description = "Master port (default ${DEFAULT-VALUE}).")
  int masterPort;

  @Option(names = "--agent-port", defaultValue = "${env:TERRACE_AGENT_PORT:-5051}",
      description = "Agent port (default ${DEFAULT-VALUE}).")
  int agentPort;

  @Option(names = "--resources", defaultValue = "${env:TERRACE_RESOURCES}",
      description = "Override the agent's detected resources (env TERRACE_RESOURCES).")
  String resources;

  @Option(names = "--jobs-port", defaultValue = "${env:TERRACE_JOBS_PORT:-5060}",
      description = "Jobs framework port, API and UI (default ${DEFAULT-VALUE}).")
  int jobsPort;

  @Option(names = "--services-port", defaultValue = "${env:TERRACE_SERVICES_PORT:-5070}",
      description = "Services framework port, API and UI (default ${DEFAULT-VALUE}).")
  int servicesPort;

  @Option(names = "--notebooks-port", defaultValue = "${env:TERRACE_NOTEBOOKS_PORT:-5080}",
      description = "Notebooks framework port, API (default ${DEFAULT-VALUE}).")
  int notebooksPort;

  @picocli.CommandLine.Mixin
  ContainerOptions containers = new ContainerOptions();

  @picocli.CommandLine.Mixin
  MasterSecurityOptions security = new MasterSecurityOptions();

  @picocli.CommandLine.Mixin
  dev.terrace.cli.security.ZooKeeperTlsOptions zkTls = new dev.terrace.cli.security.ZooKeeperTlsOptions();

  @Option(names = "--agent-credential", defaultValue = "${env:TERRACE_AGENT_CREDENTIAL}",
      description = "JSON {\"principal\":..,\"secret\":..} the local agent authenticates with (needed with --authenticate-agents).")
  Path agentCredential;

  @picocli.CommandLine.Mixin
  StorageOptions storage = new StorageOptions();

  @Override
  public Integer call() throws Exception {
    if (security.authenticatesAgents() && agentCredential == null) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
          "--authenticate-agents needs --agent-credential FILE for the local agent");
    }
    var masterSecurity = security.toSecurity();
    var agentSecurity = new AgentSecurity(
        agentCredential == null ? null : AgentCredential.read(agentCredential), security.agentTrust(),
        null, null, null);
    Path dir = Defaults.ensureDir(workDir != null ? workDir : Defaults.workDir("local"));
    zkTls.apply(dir);
    EmbeddedZooKeeper zk = new EmbeddedZooKeeper(zkPort, Defaults.ensureDir(dir.resolve("zk")));
    if (zkTls.servesTls()) {
      zk.secure();
    }
    zk.start();
    String zkUrl = "zk://127.0.0.1:" + zk.port() + "/terrace";
    MasterServer master;
    AgentServer agent;
    try {
      master = MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1")
          .bindHost("127.0.0.1").port(masterPort).workDir(Defaults.ensureDir(dir.resolve("master")))
          .zkUrl(zkUrl).security(masterSecurity).build());
    } catch (Exception e) {
      zk.close();
      throw e;
    }
    try {
      java.nio.file.Path agentDir = Defaults.ensureDir(dir.resolve("agent"));
      agent = Components.startAgent(new AgentConfig(zkUrl, "127.0.0.1", "127.0.0.1", agentPort,
          agentDir, resources, null, containers.runtime,
          containers.mountMissingCgroups, containers.insecureRegistries, containers.dockerConfig)
          .withSecurity(agentSecurity),
          containers, storage);
    } catch (Exception e) {
      master.close();
      zk.close();
      throw e;
    }
    dev.terrace.jobs.JobsFramework jobs = null;
    dev.terrace.services.ServicesFramework services = null;
    dev.terrace.notebooks.NotebooksFramework notebooks;
    try {
      jobs = dev.terrace.jobs.JobsFramework.start(dev.terrace.jobs.JobsConfig.defaults(zkUrl,
          "zk://127.0.0.1:" + zk.port() + "/terrace-jobs").withHosts("127.0.0.1", "127.0.0.1").withPort(jobsPort));
      services = dev.terrace.services.ServicesFramework.start(dev.terrace.services.ServicesConfig.defaults(zkUrl,
          "zk://127.0.0.1:" + zk.port() + "/terrace-services").withHosts("127.0.0.1", "127.0.0.1")
          .withPort(servicesPort));
      notebooks = dev.terrace.notebooks.NotebooksFramework.start(dev.terrace.notebooks.NotebooksConfig.defaults(
          zkUrl, "zk://127.0.0.1:" + zk.port() + "/terrace-notebooks").withHosts("127.0.0.1", "127.0.0.1")
          .withPort(notebooksPort));
    } catch (Exception e) {
      if (services != null) {
        services.close();
      }
      if (jobs != null) {
        jobs.close();
      }
      agent.close();
      master.close();
      zk.close();
      throw e;
    }
    System.err.println("terrace: local cluster is up");
    System.err.println("  ZooKeeper " + zkUrl);
    System.err.println("  master    " + master.url() + "  (web UI at /, state at /master/state)");
    System.err.println("  agent     http://127.0.0.1:" + agent.port());
    System.err.println("  jobs      " + jobs.url() + "  (UI at /, API at /v1/jobs)");
    System.err.println("  services  " + services.url() + "  (UI at /, API at /v1/services)");
    System.err.println("  notebooks " + notebooks.url() + "  (API at /v1/notebooks; files in "
        + dir.resolve("agent").resolve("volumes/notebooks") + ")");
    System.err.println("  try:      ./terrace run --cpus 0.1 --mem 32 -- sh -c 'echo hello; hostname'");
    System.err.println("  Ctrl-C stops everything (tasks are killed, mounts undone).");
    Components.runUntilStopped(notebooks, services, jobs, agent, master, zk);
    return 0;
  }
}
