package dev.terrace.master.registry;

import java.util.Objects;

/** The stored form of one role's weight (one znode per role). */
record RoleWeight(String role, double weight) {
  RoleWeight {
    Objects.requireNonNull(role, "role");
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight of role '" + role + "' must be positive: " + weight);
    }
  }
}
