package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * Mesos `Resource`: a named quantity (SCALAR, RANGES or SET) with the role it is reserved for and
 * the role it was allocated to. Arithmetic on lists of these lives in {@code resources.Resources}.
 */
public record Resource(
    String name,
    Value.Type type,
    Value.Scalar scalar,
    Value.Ranges ranges,
    @JsonProperty("set") Value.ValueSet set,
    String role,
    AllocationInfo allocationInfo,
    List<ReservationInfo> reservations,
    String providerId) {

  public Resource {
    Objects.requireNonNull(name, "resource name");
    Objects.requireNonNull(type, "resource type");
    reservations = reservations == null ? List.of() : List.copyOf(reservations);
    switch (type) {
      case SCALAR -> require(scalar != null, name, "SCALAR without 'scalar'");
      case RANGES -> require(ranges != null, name, "RANGES without 'ranges'");
      case SET -> require(set != null, name, "SET without 'set'");
      case TEXT -> throw new IllegalArgumentException("resource '" + name + "' cannot be TEXT");
    }
  }

  private static void require(boolean ok, String name, String what) {
    if (!ok) {
      throw new IllegalArgumentException("resource '" + name + "' is " + what);
    }
  }

  public static Resource scalar(String name, double value) {
    return new Resource(name, Value.Type.SCALAR, new Value.Scalar(value), null, null, null, null, null, null);
  }

  public static Resource ranges(String name, List<Value.Range> ranges) {
    return new Resource(name, Value.Type.RANGES, null, new Value.Ranges(ranges), null, null, null, null, null);
  }

  public static Resource set(String name, List<String> items) {
    return new Resource(name, Value.Type.SET, null, null, new Value.ValueSet(items), null, null, null, null);
  }

  public Resource withAllocationRole(String allocationRole) {
    return new Resource(name, type, scalar, ranges, set, role,
        allocationRole == null ? null : new AllocationInfo(allocationRole), reservations, providerId);
  }

  /** This resource with one more reservation level: dynamically reserved for {@code role}. */
  public Resource withDynamicReservation(String role, String principal) {
    List<ReservationInfo> stack = new java.util.ArrayList<>(reservations);
    stack.add(new ReservationInfo(ReservationInfo.Type.DYNAMIC, role, principal, null));
    return new Resource(name, type, scalar, ranges, set, null, allocationInfo, stack, providerId);
  }

  public Resource withScalar(double value) {
    return new Resource(name, type, new Value.Scalar(value), null, null, role, allocationInfo, reservations, providerId);
  }

  public Resource withRanges(List<Value.Range> value) {
    return new Resource(name, type, null, new Value.Ranges(value), null, role, allocationInfo, reservations, providerId);
  }

  public Resource withItems(List<String> value) {
    return new Resource(name, type, null, null, new Value.ValueSet(value), role, allocationInfo, reservations, providerId);
  }

  /**
   * The role whose reservation holds this resource: the last reservation's role (refinements stack
   * up), else the legacy {@code role} field, else {@code "*"} (unreserved).
   */
  @JsonIgnore
  public String reservationRole() {
    if (!reservations.isEmpty()) {
      return reservations.get(reservations.size() - 1).role();
    }
    return role == null ? "*" : role;
  }
}
