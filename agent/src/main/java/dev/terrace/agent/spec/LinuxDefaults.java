package dev.terrace.agent.spec;

import java.util.List;

/** The hardening defaults that Docker and runc apply to every container, copied here verbatim. */
public final class LinuxDefaults {
  private LinuxDefaults() {}

  /**
   * Docker's default capability set (moby oci/caps/defaults.go): enough for ordinary programs
   * (chown, setuid to drop privileges, bind low ports) but none of the admin capabilities.
   */
  public static final List<String> CAPABILITIES =
      List.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FSETID",
          "CAP_FOWNER",
          "CAP_MKNOD",
          "CAP_NET_RAW",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETFCAP",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_SYS_CHROOT",
          "CAP_KILL",
          "CAP_AUDIT_WRITE");

  /** Kernel interfaces hidden from the task (runc spec / moby defaults). */
  public static final List<String> MASKED_PATHS =
      List.of(
          "/proc/acpi",
          "/proc/asound",
          "/proc/kcore",
          "/proc/keys",
          "/proc/latency_stats",
          "/proc/timer_list",
          "/proc/timer_stats",
          "/proc/sched_debug",
          "/proc/scsi",
          "/sys/firmware",
          "/sys/devices/virtual/powercap");

  /** Kernel interfaces the task may read but not change. */
  public static final List<String> READONLY_PATHS =
      List.of(
          "/proc/bus",
          "/proc/fs",
          "/proc/irq",
          "/proc/sys",
          "/proc/sysrq-trigger");
}
