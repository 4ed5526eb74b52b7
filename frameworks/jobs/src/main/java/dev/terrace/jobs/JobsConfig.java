package dev.terrace.jobs;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How a jobs framework instance runs.
 *
 * @param master the Terrace master: {@code zk://host:port/terrace} or {@code http://host:port}
 * @param stateZk where the instances keep their election and state: {@code zk://host:port/terrace-jobs}
 * @param advertisedHost the host other instances, the CLI and the master's UI reach this one at
 * @param port the REST API and UI port (0 picks a free one)
 * @param roles the roles the framework subscribes with; jobs pick one of them
 * @param failoverTimeout how long the master keeps the framework's tasks while no instance leads
 * @param tick how often cron schedules, timeouts and retries are looked at
 */
public record JobsConfig(String master, String stateZk, String bindHost, String advertisedHost, int port,
    String user, String name, List<String> roles, Duration failoverTimeout, Duration tick, Clock clock) {

  public static JobsConfig defaults(String master, String stateZk) {
    return new JobsConfig(master, stateZk, "0.0.0.0", "127.0.0.1", 5060, "root", "terrace-jobs",
        List.of("*"), Duration.ofDays(7), Duration.ofMillis(500), Clock.systemUTC());
  }

  public JobsConfig withPort(int p) {
    return new JobsConfig(master, stateZk, bindHost, advertisedHost, p, user, name, roles, failoverTimeout, tick, clock);
  }

  public JobsConfig withHosts(String bind, String advertised) {
    return new JobsConfig(master, stateZk, bind, advertised, port, user, name, roles, failoverTimeout, tick, clock);
  }

  public JobsConfig withClock(Clock c) {
    return new JobsConfig(master, stateZk, bindHost, advertisedHost, port, user, name, roles, failoverTimeout, tick, c);
  }

  public JobsConfig withRoles(List<String> r) {
    return new JobsConfig(master, stateZk, bindHost, advertisedHost, port, user, name, r, failoverTimeout, tick, clock);
  }

  public JobsConfig withTick(Duration t) {
    return new JobsConfig(master, stateZk, bindHost, advertisedHost, port, user, name, roles, failoverTimeout, t, clock);
  }
}
