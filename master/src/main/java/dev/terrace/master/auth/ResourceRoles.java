package dev.terrace.master.auth;

import dev.terrace.common.model.ReservationInfo;
import dev.terrace.common.model.Resource;

/** The ACL objects of a reservation: the role it is for, and the principal who made it. */
final class ResourceRoles {
  private ResourceRoles() {}

  /** The most refined reservation's role, else the pre-1.4 {@code role} field. */
  static String reservationRole(Resource r) {
    ReservationInfo last = last(r);
    return last != null && last.role() != null ? last.role() : r.role();
  }

  static String reserverPrincipal(Resource r) {
    ReservationInfo last = last(r);
    return last == null ? null : last.principal();
  }

  private static ReservationInfo last(Resource r) {
    return r.reservations().isEmpty() ? null : r.reservations().get(r.reservations().size() - 1);
  }
}
