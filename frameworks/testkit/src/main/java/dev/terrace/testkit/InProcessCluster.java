package dev.terrace.testkit;

import dev.terrace.agent.AgentConfig;
import dev.terrace.agent.AgentServer;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A whole Terrace cluster in one JVM for tests: a real embedded ZooKeeper server, N masters
 * contending through it and M agents registering with the leader, each with its own work dir and
 * ephemeral ports on loopback. Agents take a containerizer factory: the real one for tests that
 * need real containers, or a fake for logic tests.
 */
public final class InProcessCluster implements AutoCloseable {
  private final Path workDir;
  private final EmbeddedZooKeeper zk;
  private final List<MasterServer> masters = new ArrayList<>();
  private final List<AgentServer> agents = new ArrayList<>();
  private final Builder builder;

  private InProcessCluster(Builder b) throws IOException {
    this.builder = b;
    this.workDir = b.workDir != null ? b.workDir : Files.createTempDirectory("terrace-cluster");
    this.zk = new EmbeddedZooKeeper(0, workDir.resolve("zk"));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private int masters = 1;
    private int agents = 1;
    private Path workDir;
    private String agentResources = "cpus:2;mem:1024;disk:1024;ports:[31000-31100]";
    private Function<Path, Containerizer> containerizer;
    private Duration heartbeat = Duration.ofSeconds(15);
    private Duration statusRetry = Duration.ofSeconds(10);
    private dev.terrace.agent.sandbox.SandboxSettings sandboxes =
        dev.terrace.agent.sandbox.SandboxSettings.defaults();
    private java.util.function.UnaryOperator<MasterConfig.Builder> masterConfig = b -> b;
    private dev.terrace.agent.auth.AgentSecurity agentSecurity = dev.terrace.agent.auth.AgentSecurity.open();

    /** Credentials, TLS and ACLs of every agent (open by default). */
    public Builder agentSecurity(dev.terrace.agent.auth.AgentSecurity security) {
      this.agentSecurity = security;
      return this;
    }

    /** Adjusts every master's configuration (timeouts, say) before it starts. */
    public Builder masterConfig(java.util.function.UnaryOperator<MasterConfig.Builder> adjust) {
      this.masterConfig = adjust;
      return this;
    }

    public Builder masters(int n) {
      this.masters = n;
      return this;
    }

    public Builder agents(int n) {
      this.agents = n;
      return this;
    }

    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    public Builder agentResources(String text) {
      this.agentResources = text;
      return this;
    }

    /** Makes each agent's containerizer from that agent's work dir. */
    public Builder containerizer(Function<Path, Containerizer> factory) {
      this.containerizer = factory;
      return this;
    }

    public Builder heartbeat(Duration d) {
      this.heartbeat = d;
      return this;
    }

    public Builder statusRetry(Duration d) {
      this.statusRetry = d;
      return this;
    }

    /** Log rotation and sandbox garbage collection of every agent. */
    public Builder sandboxes(dev.terrace.agent.sandbox.SandboxSettings settings) {
      this.sandboxes = settings;
      return this;
    }

    public InProcessCluster start() throws Exception {
      InProcessCluster c = new InProcessCluster(this);
      try {
        c.startAll();
      } catch (Exception e) {
        c.close();
        throw e;
      }
      return c;
    }
  }

  private void startAll() throws Exception {
    zk.start();
    for (int i = 0; i < builder.masters; i++) {
      startMaster();
    }
    if (builder.masters > 0) {
      awaitLeader();
    }
    for (int i = 0; i < builder.agents; i++) {
      startAgent();
    }
  }

  public MasterServer startMaster() throws Exception {
    MasterConfig config = builder.masterConfig.apply(MasterConfig.builder().advertisedHost("127.0.0.1")
        .bindHost("127.0.0.1").port(0).workDir(workDir.resolve("master-" + masters.size()))
        .zkUrl(zkUrl()).heartbeatInterval(builder.heartbeat)).build();
    MasterServer m = MasterServer.start(config);
    masters.add(m);
    return m;
  }

  public AgentServer startAgent() throws Exception {
    return startAgent(workDir.resolve("agent-" + agents.size()));
  }

  /**
   * Stops agent {@code index} the way a crash would (no task is killed, nothing is said to the
   * master) and returns its work dir, from which {@link #startAgent(Path)} restarts it.
   */
  public Path crashAgent(int index) {
    AgentServer a = agents.get(index);
    crashedPorts.put(a.workDir(), a.port());
    a.abandon();
    return a.workDir();
  }

  /** The ports of crashed agents: one restarted on its work dir listens where it did, as a real one. */
  private final java.util.Map<Path, Integer> crashedPorts = new java.util.concurrent.ConcurrentHashMap<>();

  /** Starts an agent on {@code dir}; an agent that ran there before comes back under its id. */
  public AgentServer startAgent(Path dir) throws Exception {
    return startAgent(dir, "127.0.0.1");
  }

  /**
   * Starts an agent on {@code dir} that calls itself {@code hostname} (an address of this host,
   * such as {@code localhost}): two agents then look like two machines to maintenance.
   */
  public AgentServer startAgent(Path dir, String hostname) throws Exception {
    if (builder.containerizer == null) {
      throw new IllegalStateException("no containerizer factory given to the cluster builder");
    }
    Files.createDirectories(dir);
    Integer port = crashedPorts.remove(dir);
    AgentConfig config = new AgentConfig(zkUrl(), hostname, "127.0.0.1", port == null ? 0 : port, dir,
        builder.agentResources, "", "auto", false).withSecurity(builder.agentSecurity);
    AgentServer a = AgentServer.start(config, builder.containerizer.apply(dir), builder.statusRetry,
        builder.sandboxes);
    int crashed = -1;
    for (int i = 0; i < agents.size(); i++) {
      if (agents.get(i).workDir().equals(dir)) {
        crashed = i;
      }
    }
    if (crashed >= 0) {
      agents.set(crashed, a);
    } else {
      agents.add(a);
    }
    return a;
  }

  /** {@code zk://127.0.0.1:PORT/terrace}, what agents and frameworks are given. */
  public String zkUrl() {
    return "zk://" + zk.connectString() + "/terrace";
  }

  /** Waits (up to 30 s) until one master leads and serves, and returns it. */
  public MasterServer awaitLeader() throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
    while (leader().isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no master leads after 30 s");
      }
      Thread.sleep(10);
    }
    return leader().get();
  }

  public Optional<MasterServer> leader() {
    return masters.stream().filter(MasterServer::isLeader).findFirst();
  }

  public List<MasterServer> masters() {
    return masters;
  }

  public List<AgentServer> agents() {
    return agents;
  }

  public EmbeddedZooKeeper zooKeeper() {
    return zk;
  }

  public Path workDir() {
    return workDir;
  }

  @Override
  public void close() {
    for (AgentServer a : agents) {
      a.close();
    }
    for (MasterServer m : masters) {
      m.close();
    }
    zk.close();
    if (builder.workDir == null) {
      // Nothing can recover these tasks once their work dir is gone.
      HostProcessContainerizer.killAllUnder(workDir);
      deleteQuietly(workDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temp dir left behind is harmless
    }
  }
}
