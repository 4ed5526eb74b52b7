package dev.terrace.agent.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.containerizer.ContainerLaunch;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

/**
 * Builds the OCI runtime {@code config.json} for one task. Pure: no file system, no clock, no
 * host probing; everything host-dependent comes in through {@link SpecOptions}.
 */
public final class OciSpecGenerator {

  /** Where the sandbox appears inside the container, as in Mesos. */
  public static final String SANDBOX_PATH = "/mnt/mesos/sandbox";

  /** The CFS period; quota is {@code cpus * period}. */
  public static final long CPU_PERIOD_US = 100_000;

  /** The kernel rejects quotas below 1 ms. */
  public static final long MIN_CPU_QUOTA_US = 1_000;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final SpecOptions options;
  private final Confinement confinement;

  public OciSpecGenerator(SpecOptions options) {
    this(options, Confinement.forThisHost());
  }

  public OciSpecGenerator(SpecOptions options, Confinement confinement) {
    this.options = options;
    this.confinement = confinement;
  }

  /** The full config for {@code launch} on the host's network, its rootfs at {@code rootfs}. */
  public ObjectNode generate(ContainerLaunch launch, Path rootfs) {
    return generate(launch, rootfs, null);
  }

  /**
   * The full config for {@code launch}, whose root filesystem is mounted at {@code rootfs}, in
   * the network namespace of {@code network} (null: the host's network, shared).
   */
  public ObjectNode generate(ContainerLaunch launch, Path rootfs, SpecNetwork network) {
    ObjectNode spec = JSON.objectNode();
    spec.put("ociVersion", "1.0.2");
    spec.set("process", process(launch));
    ObjectNode root = spec.putObject("root");
    root.put("path", rootfs.toAbsolutePath().toString());
    root.put("readonly", false);
    spec.put("hostname", launch.hostname() != null ? launch.hostname() : launch.containerId());
    ArrayNode mounts = mounts(launch.sandbox());
    // Host volumes arrive with absolute host paths (the containerizer resolved them).
    for (ContainerLaunch.HostVolume v : launch.volumes()) {
      mount(mounts, v.containerPath(), "bind", v.hostPath(), List.of("rbind", v.readOnly() ? "ro" : "rw"));
    }
    if (network != null) {
      for (String name : List.of("hosts", "hostname", "resolv.conf")) {
        mount(mounts, "/etc/" + name, "bind",
            network.etcDir().resolve(name).toAbsolutePath().toString(), List.of("rbind", "rw"));
      }
    }
    spec.set("mounts", mounts);
    ObjectNode linux = linux(launch);
    if (network != null) {
      ObjectNode ns = ((ArrayNode) linux.get("namespaces")).addObject();
      ns.put("type", "network");
      ns.put("path", network.netnsPath());
    }
    spec.set("linux", linux);
    confinement.apply(spec, launch);
    return spec;
  }

  /** The CFS quota in microseconds per {@link #CPU_PERIOD_US} for {@code cpus} cores. */
  public static long cpuQuota(double cpus) {
    return Math.max(MIN_CPU_QUOTA_US, Math.round(cpus * CPU_PERIOD_US));
  }

  private ObjectNode process(ContainerLaunch launch) {
    ObjectNode process = JSON.objectNode();
    process.put("terminal", false);
    ObjectNode user = process.putObject("user");
    user.put("uid", 0);
    user.put("gid", 0);
    ArrayNode args = process.putArray("args");
    launch.argv().forEach(args::add);
    ArrayNode env = process.putArray("env");
    // Sorted so that the same launch always gives the same bytes (diffable bundles, stable tests).
    new TreeMap<>(launch.env()).forEach((k, v) -> env.add(k + "=" + v));
    process.put("cwd", SANDBOX_PATH);
    ObjectNode caps = process.putObject("capabilities");
    for (String set : List.of("bounding", "effective", "permitted")) {
      ArrayNode list = caps.putArray(set);
      LinuxDefaults.CAPABILITIES.forEach(list::add);
    }
    ObjectNode nofile = process.putArray("rlimits").addObject();
    nofile.put("type", "RLIMIT_NOFILE");
    nofile.put("hard", options.nofileLimit());
    nofile.put("soft", options.nofileLimit());
    process.put("noNewPrivileges", true);
    return process;
  }

  private static ArrayNode mounts(Path sandbox) {
    ArrayNode mounts = JSON.arrayNode();
    mount(mounts, "/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/dev", "tmpfs", "tmpfs",
        List.of("nosuid", "strictatime", "mode=755", "size=65536k"));
    mount(mounts, "/dev/pts", "devpts", "devpts",
        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"));
    mount(mounts, "/dev/shm", "tmpfs", "shm",
        List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k"));
    mount(mounts, "/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev"));
    mount(mounts, "/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro"));
    mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup",
        List.of("nosuid", "noexec", "nodev", "relatime", "ro"));
    // The host root is the lower layer of an imageless rootfs: without this the task would see
    // (and copy-up into) the host's /tmp.
    mount(mounts, "/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "mode=1777"));
    mount(mounts, SANDBOX_PATH, "bind", sandbox.toAbsolutePath().toString(),
        List.of("rbind", "rw"));
    return mounts;
  }

  private static void mount(
      ArrayNode mounts, String destination, String type, String source, List<String> options) {
    ObjectNode m = mounts.addObject();
    m.put("destination", destination);
    m.put("type", type);
    m.put("source", source);
    ArrayNode opts = m.putArray("options");
    options.forEach(opts::add);
  }

  private ObjectNode linux(ContainerLaunch launch) {
    ObjectNode linux = JSON.objectNode();
    linux.put("cgroupsPath", options.cgroupsPath(launch.containerId()));
    ObjectNode resources = linux.putObject("resources");
    // Deny every device node; the runtimes still allow their built-in defaults (null, zero,
    // full, random, urandom, tty, ptmx) that the OCI spec requires in /dev.
    ObjectNode denyAll = resources.putArray("devices").addObject();
    denyAll.put("allow", false);
    denyAll.put("access", "rwm");
    if (launch.memoryBytes() > 0) {
      ObjectNode memory = resources.putObject("memory");
      memory.put("limit", launch.memoryBytes());
      // memory+swap equal to memory: the task cannot escape its limit by swapping.
      memory.put("swap", launch.memoryBytes());
    }
    if (launch.cpus() > 0) {
      ObjectNode cpu = resources.putObject("cpu");
      cpu.put("quota", cpuQuota(launch.cpus()));
      cpu.put("period", CPU_PERIOD_US);
    }
    ArrayNode namespaces = linux.putArray("namespaces");
    List<String> types = options.cgroupNamespace()
        ? List.of("pid", "mount", "uts", "ipc", "cgroup")
        : List.of("pid", "mount", "uts", "ipc");
    types.forEach(t -> namespaces.addObject().put("type", t));
    if (launch.userNamespace()) {
      UserNamespace.apply(linux);
    }
    ArrayNode masked = linux.putArray("maskedPaths");
    LinuxDefaults.MASKED_PATHS.forEach(masked::add);
    ArrayNode readonly = linux.putArray("readonlyPaths");
    LinuxDefaults.READONLY_PATHS.forEach(readonly::add);
    return linux;
  }
}
