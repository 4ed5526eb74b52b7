package dev.terrace.master.allocator.resources;

import dev.terrace.common.model.ReservationInfo;
import dev.terrace.common.model.Resource;
import java.util.List;

/**
 * Which reservation a resource belongs to: its reservation stack and the legacy {@code role}
 * field, kept as given so offers carry the very reservations the agent declared. {@link #role()}
 * is the role that may use the resources ({@code "*"}: anyone).
 */
public record ReservationKey(String legacyRole, List<ReservationInfo> reservations) {
  public static final ReservationKey UNRESERVED = new ReservationKey(null, List.of());

  public static ReservationKey of(Resource r) {
    String legacy = "*".equals(r.role()) ? null : r.role();
    if (legacy == null && r.reservations().isEmpty()) {
      return UNRESERVED;
    }
    return new ReservationKey(legacy, r.reservations());
  }

  public String role() {
    if (!reservations.isEmpty()) {
      return reservations.get(reservations.size() - 1).role();
    }
    return legacyRole == null ? "*" : legacyRole;
  }

  public boolean isUnreserved() {
    return role().equals("*");
  }

  /** True when a framework of {@code role} may be offered these resources. */
  public boolean offerableTo(String role) {
    String mine = role();
    return mine.equals("*") || RolePaths.isSelfOrDescendant(role, mine);
  }
}
