package dev.terrace.common.model;

import java.util.Objects;

/** Mesos `OfferID`: on the wire an object `{"value": "..."}`. */
public record OfferId(String value) {
  public OfferId {
    Objects.requireNonNull(value, "value");
  }

  public static OfferId of(String value) {
    return new OfferId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
