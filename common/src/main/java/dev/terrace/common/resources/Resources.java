package dev.terrace.common.resources;

import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable bag of resources with Mesos' arithmetic: resources of the same name, type and
 * reservation combine; scalars are kept in fixed point with three decimals (as Mesos does) so
 * that 0.1 + 0.2 - 0.3 is exactly zero; ranges merge and split; sets union and subtract.
 *
 * <p>Allocation info is not part of a resource's identity here: the master stamps it on offers,
 * and a framework that echoes an offer's resources back in a task must still match them.
 */
public final class Resources {
  private static final Resources EMPTY = new Resources(Map.of());

  private final Map<Key, Quantity> items;

  private Resources(Map<Key, Quantity> items) {
    this.items = items;
  }

  public static Resources empty() {
    return EMPTY;
  }

  /** Reads wire resources; throws IllegalArgumentException for negative or malformed values. */
  public static Resources of(Collection<Resource> resources) {
    Map<Key, Quantity> map = new LinkedHashMap<>();
    for (Resource r : resources) {
      Quantity q = Quantity.of(r);
      map.merge(Key.of(r), q, Quantity::plus);
    }
    map.values().removeIf(Quantity::isEmpty);
    return new Resources(map);
  }

  public static Resources of(Resource... resources) {
    return of(List.of(resources));
  }

  public Resources plus(Resources other) {
    Map<Key, Quantity> map = new LinkedHashMap<>(items);
    other.items.forEach((k, q) -> map.merge(k, q, Quantity::plus));
    return new Resources(map);
  }

  /** This minus {@code other}; what {@code other} has beyond this is ignored (floors at zero). */
  public Resources minus(Resources other) {
    Map<Key, Quantity> map = new LinkedHashMap<>(items);
    other.items.forEach((k, q) -> map.computeIfPresent(k, (kk, mine) -> {
      Quantity left = mine.minus(q);
      return left.isEmpty() ? null : left;
    }));
    return new Resources(map);
  }

  /** True when every resource of {@code other} is present here in at least that quantity. */
  public boolean contains(Resources other) {
    for (Map.Entry<Key, Quantity> e : other.items.entrySet()) {
      Quantity mine = items.get(e.getKey());
      if (mine == null || !mine.contains(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** Sum of a scalar resource over every reservation (for example all {@code cpus}). */
  public double scalar(String name) {
    long milli = 0;
    for (Map.Entry<Key, Quantity> e : items.entrySet()) {
      if (e.getKey().name.equals(name) && e.getValue().milli != null) {
        milli += e.getValue().milli;
      }
    }
    return milli / 1000.0;
  }

  /** All port ranges (or any RANGES resource of {@code name}) as begin/end pairs. */
  public List<Value.Range> ranges(String name) {
    List<Value.Range> out = new ArrayList<>();
    items.forEach((k, q) -> {
      if (k.name.equals(name) && q.ranges != null) {
        for (long[] r : q.ranges) {
          out.add(new Value.Range(r[0], r[1]));
        }
      }
    });
    return out;
  }

  /** Only the resources reserved for {@code role} ({@code "*"}: unreserved). */
  public Resources reservedFor(String role) {
    Map<Key, Quantity> map = new LinkedHashMap<>();
    items.forEach((k, q) -> {
      if (k.template.reservationRole().equals(role)) {
        map.put(k, q);
      }
    });
    return new Resources(map);
  }

  /** Back to wire form; every resource gets {@code allocationRole} when it is not null. */
  public List<Resource> toList(String allocationRole) {
    List<Resource> out = new ArrayList<>(items.size());
    items.forEach((k, q) -> out.add(q.toResource(k.template).withAllocationRole(allocationRole)));
    return out;
  }

  public List<Resource> toList() {
    return toList(null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resources r && items.equals(r.items);
  }

  @Override
  public int hashCode() {
    return items.hashCode();
  }

  /** Mesos' short text form, e.g. {@code cpus:2; mem:1024; ports:[31000-32000]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    items.forEach((k, q) -> {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(k.name);
      String role = k.template.reservationRole();
      if (!role.equals("*")) {
        sb.append('(').append(role).append(')');
      }
      sb.append(':').append(q);
    });
    return sb.toString();
  }

  /** What makes two resources the same kind: name, type and the reservation stack. */
  private static final class Key {
    final String name;
    final Value.Type type;
    final String role;
    final Object reservations;
    final Resource template;

    private Key(Resource r) {
      this.name = r.name();
      this.type = r.type();
      // The legacy role "*" is Mesos' way of saying unreserved, the same as no role at all.
      this.role = "*".equals(r.role()) ? null : r.role();
      this.reservations = r.reservations();
      this.template = new Resource(r.name(), r.type(), r.scalar(), r.ranges(), r.set(), r.role(),
          null, r.reservations(), r.providerId());
    }

    static Key of(Resource r) {
      return new Key(r);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && name.equals(k.name) && type == k.type
          && Objects.equals(role, k.role) && reservations.equals(k.reservations);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, type, role, reservations);
    }
  }
}
