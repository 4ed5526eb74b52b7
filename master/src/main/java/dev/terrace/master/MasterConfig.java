package dev.terrace.master;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a master runs. {@code zkUrl} null means a standalone master (no election, always leading).
 *
 * @param advertisedHost the host name or address agents and frameworks reach this master at
 * @param bindHost the address the HTTP server listens on
 */
public record MasterConfig(
    String advertisedHost,
    String bindHost,
    int port,
    Path workDir,
    String zkUrl,
    Duration heartbeatInterval,
    Duration allocationInterval,
    Duration agentReconnectTimeout,
    boolean exitOnLostLeadership) {

  public static MasterConfig defaults(String host, int port) {
    return new MasterConfig(host, "0.0.0.0", port, null, null, Duration.ofSeconds(15),
        Duration.ofSeconds(1), Duration.ofSeconds(75), false);
  }

  public MasterConfig withZk(String url) {
    return new MasterConfig(advertisedHost, bindHost, port, workDir, url, heartbeatInterval,
        allocationInterval, agentReconnectTimeout, exitOnLostLeadership);
  }

  public MasterConfig withPort(int newPort) {
    return new MasterConfig(advertisedHost, bindHost, newPort, workDir, zkUrl, heartbeatInterval,
        allocationInterval, agentReconnectTimeout, exitOnLostLeadership);
  }

  public MasterConfig withHeartbeatInterval(Duration d) {
    return new MasterConfig(advertisedHost, bindHost, port, workDir, zkUrl, d,
        allocationInterval, agentReconnectTimeout, exitOnLostLeadership);
  }

  public MasterConfig withAgentReconnectTimeout(Duration d) {
    return new MasterConfig(advertisedHost, bindHost, port, workDir, zkUrl, heartbeatInterval,
        allocationInterval, d, exitOnLostLeadership);
  }
}
