package dev.terrace.master.allocator.resources;

import dev.terrace.common.resources.Resources;

/**
 * The resources of one reservation in compact form: scalars as a vector, ports as intervals, and
 * anything else (SET resources, RANGES other than ports) in wire form, since those are rare and
 * never enter fairness or quota math.
 */
public final class ResourcePart {
  public final ReservationKey key;
  public final ResourceVector scalars = new ResourceVector();
  public final PortRanges ports = new PortRanges();
  public Resources other = Resources.empty();

  public ResourcePart(ReservationKey key) {
    this.key = key;
  }

  public boolean isEmpty() {
    return scalars.isZero() && ports.isEmpty() && other.isEmpty();
  }

  public void clear() {
    scalars.clear();
    ports.clear();
    other = Resources.empty();
  }

  public void setTo(ResourcePart o) {
    scalars.setTo(o.scalars);
    ports.setTo(o.ports);
    other = o.other;
  }

  public void add(ResourcePart o) {
    scalars.add(o.scalars);
    ports.add(o.ports);
    if (!o.other.isEmpty()) {
      other = other.plus(o.other);
    }
  }

  public void subtract(ResourcePart o) {
    scalars.subtractFloored(o.scalars);
    ports.subtract(o.ports);
    if (!o.other.isEmpty()) {
      other = other.minus(o.other);
    }
  }

  /** True when every resource of {@code o} is here. */
  public boolean covers(ResourcePart o) {
    return scalars.covers(o.scalars) && ports.covers(o.ports) && other.contains(o.other);
  }
}
