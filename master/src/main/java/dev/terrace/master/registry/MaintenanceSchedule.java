package dev.terrace.master.registry;

import dev.terrace.common.model.Unavailability;
import java.util.List;
import java.util.Objects;

/**
 * The cluster's maintenance schedule, as Mesos' {@code maintenance.Schedule}: windows in which
 * named machines are expected to be unavailable. The operator API replaces it as a whole.
 */
public record MaintenanceSchedule(List<Window> windows) {
  public static final MaintenanceSchedule EMPTY = new MaintenanceSchedule(List.of());

  public MaintenanceSchedule {
    windows = windows == null ? List.of() : List.copyOf(windows);
  }

  /** Machines that share one period of unavailability. */
  public record Window(List<MachineId> machineIds, Unavailability unavailability) {
    public Window {
      machineIds = machineIds == null ? List.of() : List.copyOf(machineIds);
      Objects.requireNonNull(unavailability, "unavailability");
    }
  }

  /** A machine by hostname and/or IP, as Mesos' {@code MachineID}. */
  public record MachineId(String hostname, String ip) {}
}
