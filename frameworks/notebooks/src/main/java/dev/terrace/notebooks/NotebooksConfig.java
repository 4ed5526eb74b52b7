package dev.terrace.notebooks;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * How a notebooks framework instance runs.
 *
 * @param master the Terrace master: {@code zk://host:port/terrace} or {@code http://host:port}
 * @param stateZk where the instances keep their election and state: {@code zk://host:port/terrace-notebooks}
 * @param advertisedHost the host other instances, the CLI and the master's UI reach this one at
 * @param port the REST API port (0 picks a free one)
 * @param role the role notebooks run as
 * @param failoverTimeout how long the master keeps the notebooks while no instance leads
 * @param tick how often running notebooks are asked whether they are idle
 * @param clock the time idle notebooks are measured against (tests move it)
 * @param notebook what each Jupyter server gets and runs
 */
public record NotebooksConfig(String master, String stateZk, String bindHost, String advertisedHost, int port,
    String user, String name, String role, Duration failoverTimeout, Duration tick, Clock clock,
    NotebookSettings notebook) {

  /**
   * Each user's Jupyter server.
   *
   * @param command the Jupyter executable on the agents ({@code jupyter-notebook}, Debian's)
   * @param volumeRoot the directory, relative to each agent's volume directory, that holds one
   *     working directory per user ({@code <agent work dir>/volumes/<volumeRoot>/<user>})
   * @param idleTimeout a server without connections and activity this long is stopped
   */
  public record NotebookSettings(String command, String volumeRoot, double cpus, double mem, Duration idleTimeout) {}

  public static NotebooksConfig defaults(String master, String stateZk) {
    return new NotebooksConfig(master, stateZk, "0.0.0.0", "127.0.0.1", 5080, "root", "terrace-notebooks", "*",
        Duration.ofDays(7), Duration.ofSeconds(5), Clock.systemUTC(),
        new NotebookSettings("jupyter-notebook", "notebooks", 0.5, 512, Duration.ofHours(1)));
  }

  public NotebooksConfig withPort(int p) {
    return new NotebooksConfig(master, stateZk, bindHost, advertisedHost, p, user, name, role, failoverTimeout, tick,
        clock, notebook);
  }

  public NotebooksConfig withHosts(String bind, String advertised) {
    return new NotebooksConfig(master, stateZk, bind, advertised, port, user, name, role, failoverTimeout, tick,
        clock, notebook);
  }

  public NotebooksConfig withTiming(Duration newTick, Clock newClock) {
    return new NotebooksConfig(master, stateZk, bindHost, advertisedHost, port, user, name, role, failoverTimeout,
        newTick, newClock, notebook);
  }

  public NotebooksConfig withNotebook(NotebookSettings settings) {
    return new NotebooksConfig(master, stateZk, bindHost, advertisedHost, port, user, name, role, failoverTimeout,
        tick, clock, settings);
  }

  List<String> roles() {
    return List.of(role);
  }
}
