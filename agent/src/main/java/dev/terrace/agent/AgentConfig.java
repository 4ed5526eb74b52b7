package dev.terrace.agent;

import dev.terrace.agent.auth.AgentSecurity;
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
 * @param security credential and TLS toward the master, authentication, ACLs and TLS of its own
 *     HTTP server ({@link AgentSecurity#open()} unless set with {@link #withSecurity})
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
    AgentSecurity security) {

  public AgentConfig {
    security = security == null ? AgentSecurity.open() : security;
  }

  /** Without security settings: an open agent that connects to the master without credentials. */
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
        attributes, runtime, mountMissingCgroups, insecureRegistries, dockerConfig, security);
  }

  public AgentConfig withSecurity(AgentSecurity newSecurity) {
    return new AgentConfig(masterUrl, advertisedHost, bindHost, port, workDir, resources,
        attributes, runtime, mountMissingCgroups, insecureRegistries, dockerConfig, newSecurity);
  }
}
