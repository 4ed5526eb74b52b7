package dev.terrace.services;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How a services framework instance runs.
 *
 * @param master the Terrace master: {@code zk://host:port/terrace} or {@code http://host:port}
 * @param stateZk where the instances keep their election and state: {@code zk://host:port/terrace-services}
 * @param advertisedHost the host other instances, the CLI and the master's UI reach this one at
 * @param port the REST API and UI port (0 picks a free one)
 * @param roles the roles the framework subscribes with; services pick one of them
 * @param failoverTimeout how long the master keeps the framework's tasks while no instance leads
 * @param tick how often each service is brought closer to what it should be
 */
public record ServicesConfig(String master, String stateZk, String bindHost, String advertisedHost, int port,
    String user, String name, List<String> roles, Duration failoverTimeout, Duration tick, Clock clock) {

  public static ServicesConfig defaults(String master, String stateZk) {
    return new ServicesConfig(master, stateZk, "0.0.0.0", "127.0.0.1", 5070, "root", "terrace-services",
        List.of("*"), Duration.ofDays(7), Duration.ofMillis(500), Clock.systemUTC());
  }

  public ServicesConfig withPort(int p) {
    return new ServicesConfig(master, stateZk, bindHost, advertisedHost, p, user, name, roles, failoverTimeout, tick,
        clock);
  }

  public ServicesConfig withHosts(String bind, String advertised) {
    return new ServicesConfig(master, stateZk, bind, advertised, port, user, name, roles, failoverTimeout, tick,
        clock);
  }

  public ServicesConfig withTick(Duration t) {
    return new ServicesConfig(master, stateZk, bindHost, advertisedHost, port, user, name, roles, failoverTimeout, t,
        clock);
  }
}
