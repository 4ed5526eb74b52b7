package dev.terrace.common.resources;

import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** The amount of one resource: milli-units for scalars, sorted disjoint ranges, or a set. */
final class Quantity {
  final Long milli;
  final List<long[]> ranges;
  final TreeSet<String> set;

  private Quantity(Long milli, List<long[]> ranges, TreeSet<String> set) {
    this.milli = milli;
    this.ranges = ranges;
    this.set = set;
  }

  static Quantity of(Resource r) {
    return switch (r.type()) {
      case SCALAR -> {
        double v = r.scalar().value();
        if (!(v >= 0) || Double.isInfinite(v)) {
          throw new IllegalArgumentException("resource '" + r.name() + "' has invalid value " + v);
        }
        yield new Quantity(Math.round(v * 1000), null, null);
      }
      case RANGES -> {
        List<long[]> list = new ArrayList<>();
        for (Value.Range range : r.ranges().range()) {
          if (range.begin() < 0) {
            throw new IllegalArgumentException("resource '" + r.name() + "' has a negative range");
          }
          list.add(new long[] {range.begin(), range.end()});
        }
        yield new Quantity(null, normalize(list), null);
      }
      case SET -> new Quantity(null, null, new TreeSet<>(r.set().item()));
      case TEXT -> throw new IllegalArgumentException("TEXT is not a resource type");
    };
  }

  boolean isEmpty() {
    if (milli != null) {
      return milli == 0;
    }
    return ranges != null ? ranges.isEmpty() : set.isEmpty();
  }

  Quantity plus(Quantity o) {
    if (milli != null) {
      return new Quantity(milli + o.milli, null, null);
    }
    if (ranges != null) {
      List<long[]> all = new ArrayList<>(ranges);
      all.addAll(o.ranges);
      return new Quantity(null, normalize(all), null);
    }
    TreeSet<String> s = new TreeSet<>(set);
    s.addAll(o.set);
    return new Quantity(null, null, s);
  }

  Quantity minus(Quantity o) {
    if (milli != null) {
      return new Quantity(Math.max(0, milli - o.milli), null, null);
    }
    if (ranges != null) {
      List<long[]> out = new ArrayList<>();
      for (long[] r : ranges) {
        List<long[]> pieces = new ArrayList<>(List.of(r));
        for (long[] cut : o.ranges) {
          List<long[]> next = new ArrayList<>();
          for (long[] p : pieces) {
            if (cut[1] < p[0] || cut[0] > p[1]) {
              next.add(p);
              continue;
            }
            if (cut[0] > p[0]) {
              next.add(new long[] {p[0], cut[0] - 1});
            }
            if (cut[1] < p[1]) {
              next.add(new long[] {cut[1] + 1, p[1]});
            }
          }
          pieces = next;
        }
        out.addAll(pieces);
      }
      return new Quantity(null, normalize(out), null);
    }
    TreeSet<String> s = new TreeSet<>(set);
    s.removeAll(o.set);
    return new Quantity(null, null, s);
  }

  boolean contains(Quantity o) {
    if (milli != null) {
      return o.milli != null && milli >= o.milli;
    }
    if (ranges != null) {
      if (o.ranges == null) {
        return false;
      }
      for (long[] want : o.ranges) {
        boolean covered = false;
        for (long[] have : ranges) {
          if (have[0] <= want[0] && want[1] <= have[1]) {
            covered = true;
            break;
          }
        }
        if (!covered) {
          return false;
        }
      }
      return true;
    }
    return o.set != null && set.containsAll(o.set);
  }

  Resource toResource(Resource template) {
    if (milli != null) {
      return template.withScalar(milli / 1000.0);
    }
    if (ranges != null) {
      return template.withRanges(ranges.stream().map(r -> new Value.Range(r[0], r[1])).toList());
    }
    return template.withItems(List.copyOf(set));
  }

  /** Sorts and merges overlapping or adjacent ranges. */
  private static List<long[]> normalize(List<long[]> in) {
    List<long[]> sorted = new ArrayList<>(in);
    sorted.sort((a, b) -> Long.compare(a[0], b[0]));
    List<long[]> out = new ArrayList<>();
    for (long[] r : sorted) {
      if (!out.isEmpty() && out.get(out.size() - 1)[1] + 1 >= r[0]) {
        long[] last = out.get(out.size() - 1);
        last[1] = Math.max(last[1], r[1]);
      } else {
        out.add(new long[] {r[0], r[1]});
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object obj) {
    if (!(obj instanceof Quantity q)) {
      return false;
    }
    if (milli != null) {
      return milli.equals(q.milli);
    }
    if (ranges != null) {
      if (q.ranges == null || ranges.size() != q.ranges.size()) {
        return false;
      }
      for (int i = 0; i < ranges.size(); i++) {
        if (!Arrays.equals(ranges.get(i), q.ranges.get(i))) {
          return false;
        }
      }
      return true;
    }
    return set.equals(q.set);
  }

  @Override
  public int hashCode() {
    if (milli != null) {
      return Long.hashCode(milli);
    }
    return ranges != null ? ranges.size() : set.hashCode();
  }

  @Override
  public String toString() {
    if (milli != null) {
      return milli % 1000 == 0 ? Long.toString(milli / 1000) : Double.toString(milli / 1000.0);
    }
    if (ranges != null) {
      StringBuilder sb = new StringBuilder("[");
      for (long[] r : ranges) {
        if (sb.length() > 1) {
          sb.append(", ");
        }
        sb.append(r[0]).append('-').append(r[1]);
      }
      return sb.append(']').toString();
    }
    return "{" + String.join(", ", set) + "}";
  }
}
