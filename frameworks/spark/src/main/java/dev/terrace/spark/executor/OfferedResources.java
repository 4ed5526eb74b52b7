package dev.terrace.spark.executor;

import dev.terrace.common.model.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * Takes amounts of scalar resources out of an offer's own resource entries, so a task keeps their
 * role, reservations and allocation role (an offer may hold the same name reserved and unreserved).
 */
public final class OfferedResources {
  private final List<Resource> remaining;

  public OfferedResources(List<Resource> offered) {
    this.remaining = new ArrayList<>(offered);
  }

  /** Whether the offer still holds {@code amount} of {@code name}. */
  public boolean has(String name, double amount) {
    double total = 0;
    for (Resource r : remaining) {
      if (r.name().equals(name) && r.scalar() != null) {
        total += r.scalar().value();
      }
    }
    return total + 1e-9 >= amount;
  }

  /** Entries adding up to {@code amount} of {@code name}; fails if the offer has less. */
  public List<Resource> take(String name, double amount) {
    List<Resource> taken = new ArrayList<>();
    double need = amount;
    for (int i = 0; i < remaining.size() && need > 1e-9; i++) {
      Resource r = remaining.get(i);
      if (!r.name().equals(name) || r.scalar() == null || r.scalar().value() <= 0) {
        continue;
      }
      double part = Math.min(need, r.scalar().value());
      taken.add(r.withScalar(part));
      remaining.set(i, r.withScalar(r.scalar().value() - part));
      need -= part;
    }
    if (need > 1e-9) {
      throw new IllegalStateException("the offer has " + (amount - need) + " " + name + ", not " + amount);
    }
    return taken;
  }
}
