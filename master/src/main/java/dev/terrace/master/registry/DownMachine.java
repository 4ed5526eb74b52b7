package dev.terrace.master.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * A machine in maintenance (Mesos' mode DOWN, after START_MAINTENANCE): its agents are removed
 * and none may register from it until STOP_MAINTENANCE.
 */
public record DownMachine(MaintenanceSchedule.MachineId machine, Instant since) {
  public DownMachine {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(since, "since");
  }
}
