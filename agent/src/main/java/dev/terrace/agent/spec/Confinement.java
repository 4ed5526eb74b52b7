package dev.terrace.agent.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.sandbox.SandboxLayout;
import java.util.List;

/**
 * What keeps a task from reaching beyond its container, added to a generated spec: a seccomp
 * filter, a pids limit (a fork bomb stops at it), and, for tasks in a view of the host's root
 * filesystem, an empty tmpfs over the agent's work dir so no task reads another's sandbox or the
 * agent's checkpoints. (Capabilities, no-new-privileges, masked and read-only paths and the
 * device rules are in {@link OciSpecGenerator}.)
 */
public final class Confinement {
  /** podman's default: far above what real tasks use (threads count), far below a host's limit. */
  public static final long DEFAULT_PIDS_LIMIT = 2048;

  /**
   * System calls a task never needs and that widen the kernel's attack surface or act on the
   * whole host: kernel modules and kexec, mounts and new namespaces (including user namespaces,
   * the usual first step of a kernel exploit), keyrings, BPF and perf, handle-based opens (the
   * "shocker" escape), clocks, swap, reboot, io_uring. Everything else is allowed: a deny list
   * keeps every ordinary program working; Docker's allow list is stricter and a future step.
   */
  static final List<String> DENIED_SYSCALLS = List.of(
      "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module",
      "delete_module", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick",
      "get_kernel_syms", "init_module", "io_uring_enter", "io_uring_register", "io_uring_setup",
      "ioperm", "iopl", "kexec_file_load", "kexec_load", "keyctl", "lookup_dcookie", "mount",
      "mount_setattr", "move_mount", "name_to_handle_at", "nfsservctl", "open_by_handle_at",
      "open_tree", "perf_event_open", "pivot_root", "quotactl", "reboot", "request_key", "setns",
      "settimeofday", "stime", "swapoff", "swapon", "_sysctl", "syslog", "umount", "umount2",
      "unshare", "uselib", "userfaultfd", "ustat", "vhangup");

  private final List<String> architectures;
  private final long pidsLimit;

  public Confinement(List<String> architectures, long pidsLimit) {
    this.architectures = List.copyOf(architectures);
    this.pidsLimit = pidsLimit;
  }

  /** For the architecture this JVM runs on, with the default pids limit. */
  public static Confinement forThisHost() {
    return new Confinement(seccompArchitectures(System.getProperty("os.arch")), DEFAULT_PIDS_LIMIT);
  }

  /** libseccomp's names for an architecture and the compat ones it can also run. */
  static List<String> seccompArchitectures(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
      case "aarch64", "arm64" -> List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
      case "ppc64le" -> List.of("SCMP_ARCH_PPC64LE");
      case "s390x" -> List.of("SCMP_ARCH_S390X", "SCMP_ARCH_S390");
      default -> List.of();
    };
  }

  /** Adds the confinement to {@code spec}, which {@link OciSpecGenerator} made for {@code launch}. */
  public void apply(ObjectNode spec, ContainerLaunch launch) {
    ObjectNode linux = (ObjectNode) spec.get("linux");
    linux.set("seccomp", seccomp());
    ((ObjectNode) linux.get("resources")).putObject("pids").put("limit", pidsLimit);
    if (launch.image() == null) {
      // The host root is the task's lower layer: the agent's files would show through it.
      SandboxLayout.workDirOf(launch.sandbox()).ifPresent(workDir -> {
        ObjectNode m = ((ArrayNode) spec.get("mounts")).addObject();
        m.put("destination", workDir.toString());
        m.put("type", "tmpfs");
        m.put("source", "tmpfs");
        m.putArray("options").add("ro").add("nosuid").add("nodev").add("noexec").add("size=4k");
      });
    }
  }

  private ObjectNode seccomp() {
    ObjectNode seccomp = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    seccomp.put("defaultAction", "SCMP_ACT_ALLOW");
    ArrayNode archs = seccomp.putArray("architectures");
    architectures.forEach(archs::add);
    ObjectNode deny = seccomp.putArray("syscalls").addObject();
    ArrayNode names = deny.putArray("names");
    DENIED_SYSCALLS.forEach(names::add);
    deny.put("action", "SCMP_ACT_ERRNO");
    deny.put("errnoRet", 1); // EPERM, what a program expects when it lacks the privilege
    return seccomp;
  }
}
