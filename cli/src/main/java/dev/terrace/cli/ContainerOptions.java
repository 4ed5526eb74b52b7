package dev.terrace.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How an agent runs containers: the flags `agent` and `local` share (a picocli mixin). */
final class ContainerOptions {
  @Option(names = "--runtime", defaultValue = "${env:TERRACE_RUNTIME:-auto}",
      description = "OCI runtime: auto (crun if it works here, else runc), crun or runc (env TERRACE_RUNTIME).")
  String runtime;

  @Option(names = "--mount-missing-cgroups", defaultValue = "${env:TERRACE_MOUNT_MISSING_CGROUPS:-false}",
      description = "Mount cgroup v1 hierarchies crun needs but the host lacks (env TERRACE_MOUNT_MISSING_CGROUPS).")
  boolean mountMissingCgroups;

  @Option(names = "--insecure-registries", defaultValue = "${env:TERRACE_INSECURE_REGISTRIES}",
      description = "Comma list of host:port registries reached over plain HTTP (loopback always is)"
          + " (env TERRACE_INSECURE_REGISTRIES).")
  String insecureRegistries;

  @Option(names = "--docker-config", defaultValue = "${env:TERRACE_DOCKER_CONFIG}",
      description = "A Docker config.json whose 'auths' hold registry credentials (env TERRACE_DOCKER_CONFIG).")
  Path dockerConfig;
}
