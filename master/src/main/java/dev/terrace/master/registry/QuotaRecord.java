package dev.terrace.master.registry;

import java.util.Map;

/**
 * One role's quota, as Mesos' {@code QuotaConfig}: scalar resources by name (cpus, mem, disk,
 * gpus) that the role is guaranteed, and the most it may be allocated. A resource missing from
 * {@code limits} is unlimited; missing from {@code guarantees}, not guaranteed.
 */
public record QuotaRecord(Map<String, Double> guarantees, Map<String, Double> limits) {
  public QuotaRecord {
    guarantees = checked("guarantee", guarantees);
    limits = checked("limit", limits);
  }

  private static Map<String, Double> checked(String what, Map<String, Double> amounts) {
    if (amounts == null) {
      return Map.of();
    }
    amounts.forEach(
        (name, amount) -> {
          if (amount == null || !(amount >= 0) || Double.isInfinite(amount)) {
            throw new IllegalArgumentException(what + " of " + name + " must be >= 0: " + amount);
          }
        });
    return Map.copyOf(amounts);
  }
}
