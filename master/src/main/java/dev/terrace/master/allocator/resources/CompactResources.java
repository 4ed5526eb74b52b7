package dev.terrace.master.allocator.resources;

import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import dev.terrace.common.resources.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * The edge between wire {@link Resources} and the allocator's compact parts. Used when an agent is
 * added or updated, when resources are recovered, and when an offer is written out; never inside
 * the per-agent loop of a cycle.
 */
public final class CompactResources {
  private final ResourceSchema schema;

  public CompactResources(ResourceSchema schema) {
    this.schema = schema;
  }

  public ResourceSchema schema() {
    return schema;
  }

  /** {@code resources} split by reservation, unreserved first when present. */
  public List<ResourcePart> split(Resources resources) {
    List<ResourcePart> parts = new ArrayList<>(2);
    for (Resource r : resources.toList()) {
      ResourcePart part = partFor(parts, ReservationKey.of(r));
      switch (r.type()) {
        case SCALAR -> {
          int i = schema.indexOf(r.name());
          part.scalars.set(i, part.scalars.get(i) + Math.round(r.scalar().value() * 1000));
        }
        case RANGES -> {
          if (r.name().equals("ports")) {
            part.ports.add(PortRanges.of(r.ranges().range()));
          } else {
            part.other = part.other.plus(Resources.of(r));
          }
        }
        default -> part.other = part.other.plus(Resources.of(r));
      }
    }
    return parts;
  }

  private static ResourcePart partFor(List<ResourcePart> parts, ReservationKey key) {
    for (ResourcePart p : parts) {
      if (p.key.equals(key)) {
        return p;
      }
    }
    ResourcePart p = new ResourcePart(key);
    if (key.isUnreserved()) {
      parts.add(0, p);
    } else {
      parts.add(p);
    }
    return p;
  }

  /** Appends {@code part} in wire form to {@code out}. */
  public void appendTo(ResourcePart part, List<Resource> out) {
    ReservationKey key = part.key;
    for (int i = 0; i < schema.size(); i++) {
      long milli = part.scalars.get(i);
      if (milli > 0) {
        out.add(new Resource(schema.name(i), Value.Type.SCALAR, new Value.Scalar(milli / 1000.0),
            null, null, key.legacyRole(), null, key.reservations(), null));
      }
    }
    if (!part.ports.isEmpty()) {
      out.add(new Resource("ports", Value.Type.RANGES, null, new Value.Ranges(part.ports.toRanges()),
          null, key.legacyRole(), null, key.reservations(), null));
    }
    out.addAll(part.other.toList());
  }

  public Resources toResources(List<ResourcePart> parts) {
    List<Resource> out = new ArrayList<>();
    for (ResourcePart p : parts) {
      appendTo(p, out);
    }
    return Resources.of(out);
  }
}
