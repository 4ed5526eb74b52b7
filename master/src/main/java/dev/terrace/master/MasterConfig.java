package dev.terrace.master;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a master runs. Build one with {@link #builder()}; {@code zkUrl} null means a standalone
 * master (no election, always leading).
 *
 * @param advertisedHost the host name or address agents and frameworks reach this master at
 * @param bindHost the address the HTTP server listens on
 * @param agentPingTimeout how often the master pings each agent over its channel, and how long it
 *     waits for the answer
 * @param maxAgentPingTimeouts missed pings after which an agent is unreachable; an agent whose
 *     channel closed gets the same budget ({@code agentPingTimeout × maxAgentPingTimeouts}) to
 *     reconnect. Defaults 5 s × 3 = 15 s, against Mesos' 15 s × 5 = 75 s: the channel is TCP, so
 *     a dead agent usually shows as a closed socket at once, and pings only need to catch silent
 *     partitions; 15 s still rides out a long GC pause of the agent.
 * @param agentReregisterTimeout after a master failover, how long agents admitted in the registry
 *     have to re-register before they are marked unreachable
 * @param offerTimeout how long a framework may hold an offer before it is rescinded and its
 *     resources go to others; null (the default, as in Mesos) means no limit
 * @param zkSessionTimeout the leader's ZooKeeper session: a leader that dies is replaced once its
 *     session expires. 4 s (Mesos: 10 s) keeps failover under 5 s; ZooKeeper grants at least
 *     2 ticks (4 s with its default 2 s tick), and a JVM pause longer than this costs leadership.
 * @param advertisedIp the address published in MasterInfo when not the resolved advertised host
 * @param advertisedPort the port published in MasterInfo and redirects when not the bound one
 */
public record MasterConfig(
    String advertisedHost,
    String bindHost,
    int port,
    Path workDir,
    String zkUrl,
    Duration heartbeatInterval,
    Duration allocationInterval,
    Duration agentPingTimeout,
    int maxAgentPingTimeouts,
    Duration agentReregisterTimeout,
    boolean exitOnLostLeadership,
    Duration zkSessionTimeout,
    Duration offerTimeout,
    String advertisedIp,
    Integer advertisedPort) {

  /** How long a disconnected or silent agent has before it is marked unreachable. */
  public Duration agentReconnectTimeout() {
    return agentPingTimeout.multipliedBy(maxAgentPingTimeouts);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.advertisedHost = advertisedHost;
    b.bindHost = bindHost;
    b.port = port;
    b.workDir = workDir;
    b.zkUrl = zkUrl;
    b.heartbeatInterval = heartbeatInterval;
    b.allocationInterval = allocationInterval;
    b.agentPingTimeout = agentPingTimeout;
    b.maxAgentPingTimeouts = maxAgentPingTimeouts;
    b.agentReregisterTimeout = agentReregisterTimeout;
    b.exitOnLostLeadership = exitOnLostLeadership;
    b.zkSessionTimeout = zkSessionTimeout;
    b.offerTimeout = offerTimeout;
    b.advertisedIp = advertisedIp;
    b.advertisedPort = advertisedPort;
    return b;
  }

  /** Defaults: Mesos' where they serve (heartbeat 15 s, allocation 1 s), shorter where they did not. */
  public static final class Builder {
    private String advertisedHost = "127.0.0.1";
    private String bindHost = "0.0.0.0";
    private int port = 5050;
    private Path workDir;
    private String zkUrl;
    private Duration heartbeatInterval = Duration.ofSeconds(15);
    private Duration allocationInterval = Duration.ofSeconds(1);
    private Duration agentPingTimeout = Duration.ofSeconds(5);
    private int maxAgentPingTimeouts = 3;
    private Duration agentReregisterTimeout = Duration.ofMinutes(2);
    private boolean exitOnLostLeadership;
    private Duration zkSessionTimeout = Duration.ofSeconds(4);
    private Duration offerTimeout;
    private String advertisedIp;
    private Integer advertisedPort;

    public Builder advertisedHost(String v) {
      advertisedHost = v;
      return this;
    }

    public Builder bindHost(String v) {
      bindHost = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder workDir(Path v) {
      workDir = v;
      return this;
    }

    public Builder zkUrl(String v) {
      zkUrl = v;
      return this;
    }

    public Builder heartbeatInterval(Duration v) {
      heartbeatInterval = v;
      return this;
    }

    public Builder allocationInterval(Duration v) {
      allocationInterval = v;
      return this;
    }

    public Builder agentPingTimeout(Duration v) {
      agentPingTimeout = v;
      return this;
    }

    public Builder maxAgentPingTimeouts(int v) {
      maxAgentPingTimeouts = v;
      return this;
    }

    public Builder agentReregisterTimeout(Duration v) {
      agentReregisterTimeout = v;
      return this;
    }

    public Builder exitOnLostLeadership(boolean v) {
      exitOnLostLeadership = v;
      return this;
    }

    public Builder zkSessionTimeout(Duration v) {
      zkSessionTimeout = v;
      return this;
    }

    public Builder offerTimeout(Duration v) {
      offerTimeout = v;
      return this;
    }

    /**
     * The address published for this master (MasterInfo, redirects) when others cannot reach it at
     * the address its host name resolves to (NAT, several interfaces); null: resolve the host.
     */
    public Builder advertisedIp(String v) {
      advertisedIp = v;
      return this;
    }

    /** The port published for this master when it differs from the bound one; null: bound. */
    public Builder advertisedPort(Integer v) {
      advertisedPort = v;
      return this;
    }

    public MasterConfig build() {
      if (maxAgentPingTimeouts < 1) {
        throw new IllegalArgumentException("max agent ping timeouts must be at least 1");
      }
      return new MasterConfig(advertisedHost, bindHost, port, workDir, zkUrl, heartbeatInterval,
          allocationInterval, agentPingTimeout, maxAgentPingTimeouts, agentReregisterTimeout,
          exitOnLostLeadership, zkSessionTimeout, offerTimeout, advertisedIp, advertisedPort);
    }
  }
}
