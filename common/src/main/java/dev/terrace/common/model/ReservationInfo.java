package dev.terrace.common.model;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** One level of a (possibly refined) reservation, Mesos `Resource.ReservationInfo`. */
public record ReservationInfo(Type type, String role, String principal, Labels labels) {
  public enum Type {
    @JsonEnumDefaultValue
    UNKNOWN,
    STATIC,
    DYNAMIC
  }
}
