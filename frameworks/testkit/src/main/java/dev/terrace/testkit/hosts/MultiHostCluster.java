package dev.terrace.testkit.hosts;

import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A cluster across namespace hosts ({@link NamespaceHosts}): one master in the test's JVM,
 * listening on the hub address of the switch, and one agent JVM per host
 * ({@link AgentProcess}), each with real containers and its default bridge network on a subnet of
 * its own. Frameworks in the test reach the master at {@link #masterUrl()}; agents reach each
 * other's addresses through the switch, as hosts on one LAN do.
 */
public final class MultiHostCluster implements AutoCloseable {
  private static final Duration AGENT_START = Duration.ofSeconds(90);

  private final Path workDir;
  private final NamespaceHosts net;
  private final MasterServer master;
  private final List<AgentProcess> agents = new ArrayList<>();

  private MultiHostCluster(Path workDir, NamespaceHosts net, MasterServer master) {
    this.workDir = workDir;
    this.net = net;
    this.master = master;
  }

  /**
   * Starts a master (adjusted by {@code masterConfig}) and {@code hosts} agents, named
   * {@code a}, {@code b}, ..., each offering {@code agentResources}.
   */
  public static MultiHostCluster start(int hosts, String agentResources,
      UnaryOperator<MasterConfig.Builder> masterConfig) throws Exception {
    Path workDir = Files.createTempDirectory("terrace-hosts");
    NamespaceHosts net = new NamespaceHosts();
    MasterServer master = null;
    MultiHostCluster c = null;
    try {
      master = MasterServer.start(masterConfig.apply(MasterConfig.builder()
          .advertisedHost(net.hubAddress()).bindHost(net.hubAddress()).port(0)
          .workDir(workDir.resolve("master"))).build());
      c = new MultiHostCluster(workDir, net, master);
      for (int i = 0; i < hosts; i++) {
        NamespaceHosts.Host h = net.addHost(Character.toString('a' + i));
        // Container subnets stay inside each host's namespace; distinct only for readable logs.
        AgentProcess agent = new AgentProcess(h, workDir.resolve("agent-" + h.name()),
            c.masterUrl(), agentResources, "172.29." + (10 + i) + ".0/24");
        c.agents.add(agent);
        agent.start(AGENT_START);
      }
      return c;
    } catch (Exception e) {
      if (c != null) {
        c.close();
      } else {
        if (master != null) {
          master.close();
        }
        net.close();
      }
      throw e;
    }
  }

  /** {@code http://HUB:PORT}: the master, reachable from the test and from every host. */
  public String masterUrl() {
    return "http://" + net.hubAddress() + ":" + master.port();
  }

  public MasterServer master() {
    return master;
  }

  public NamespaceHosts network() {
    return net;
  }

  public List<AgentProcess> agents() {
    return agents;
  }

  public Path workDir() {
    return workDir;
  }

  /** Stops every agent (its tasks killed, their networks released), the master, the namespaces. */
  @Override
  public void close() {
    for (AgentProcess a : agents) {
      try {
        a.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    master.close();
    net.close();
    try {
      // Refuses (and keeps everything) when something is still mounted there.
      dev.terrace.agent.rootfs.ContainerDirs.deleteUnlessMounted(workDir);
    } catch (IOException e) {
      System.err.println("MultiHostCluster: " + workDir + " left behind: " + e.getMessage());
    }
  }
}
