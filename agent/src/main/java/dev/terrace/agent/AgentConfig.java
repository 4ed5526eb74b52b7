package dev.terrace.agent;

import java.nio.file.Path;

/**
 * How an agent runs.
 *
 * @param masterUrl {@code zk://host:port/path} or {@code http://host:port}
 * @param resources Mesos resource text overriding detected values (e.g. {@code cpus:2;mem:1024})
 * @param attributes Mesos attribute text (e.g. {@code rack:r1;zone:a})
 * @param runtime "auto" (crun if it passes its self-test, else runc), "crun" or "runc"
 * @param mountMissingCgroups mount cgroup v1 hierarchies crun needs but the host lacks
 * @param insecureRegistries {@code host:port} registries reached over plain HTTP (comma list)
 * @param dockerConfig a Docker {@code config.json} whose {@code auths} give registry credentials
 * @param advertisedHost the name or address the master and frameworks reach this agent at (with
 *     {@code --advertise-ip}, that address)
 * @param advertisedPort the port they reach it at when it differs from the one bound (NAT, a
 *     proxy), or null for the bound port
 */
public record AgentConfig(
    String masterUrl,
    String advertisedHost,
    String bindHost,
    int port,
    Path workDir,
    String resources,
    String attributes,
    String runtime,
    boolean mountMissingCgroups,
    String insecureRegistries,
    Path dockerConfig,
    Integer advertisedPort) {

  public AgentConfig {
    if (advertisedPort != null && (advertisedPort < 1 || advertisedPort > 65535)) {
      throw new IllegalArgumentException("advertised port must be in 1-65535: " + advertisedPort);
    }
  }

  /** Advertising the bound port. */
  public AgentConfig(String masterUrl, String advertisedHost, String bindHost, int port, Path workDir,
      String resources, String attributes, String runtime, boolean mountMissingCgroups,
      String insecureRegistries, Path dockerConfig) {
    this(masterUrl, advertisedHost, bindHost, port, workDir, resources, attributes, runtime,
        mountMissingCgroups, insecureRegistries, dockerConfig, null);
  }

  /** Without registry settings: loopback registries only, anonymously. */
  public AgentConfig(String masterUrl, String advertisedHost, String bindHost, int port, Path workDir,
      String resources, String attributes, String runtime, boolean mountMissingCgroups) {
    this(masterUrl, advertisedHost, bindHost, port, workDir, resources, attributes, runtime,
        mountMissingCgroups, null, null);
  }

  public AgentConfig withPort(int newPort) {
    return new AgentConfig(masterUrl, advertisedHost, bindHost, newPort, workDir, resources,
        attributes, runtime, mountMissingCgroups, insecureRegistries, dockerConfig, advertisedPort);
  }

  /** The same agent advertising {@code host} and {@code advertised} (null: the bound port). */
  public AgentConfig withAdvertised(String host, Integer advertised) {
    return new AgentConfig(masterUrl, host, bindHost, port, workDir, resources,
        attributes, runtime, mountMissingCgroups, insecureRegistries, dockerConfig, advertised);
  }
}
