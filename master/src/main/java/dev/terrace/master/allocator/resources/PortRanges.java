package dev.terrace.master.allocator.resources;

import dev.terrace.common.model.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of ports as sorted, disjoint, non-adjacent closed intervals in one flat array
 * ({@code [b0, e0, b1, e1, ...]}). Mutable; copying into an instance that already has room does
 * not allocate, which is the common case in an allocation cycle (a whole agent's ports offered).
 */
public final class PortRanges {
  private static final long[] NONE = new long[0];

  private long[] bounds = NONE;
  private int count;

  public static PortRanges of(List<Value.Range> ranges) {
    PortRanges p = new PortRanges();
    long[] raw = new long[ranges.size() * 2];
    for (int i = 0; i < ranges.size(); i++) {
      raw[2 * i] = ranges.get(i).begin();
      raw[2 * i + 1] = ranges.get(i).end();
    }
    p.normalizeFrom(raw, ranges.size());
    return p;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  public int intervals() {
    return count;
  }

  public void clear() {
    count = 0;
  }

  public void setTo(PortRanges o) {
    if (bounds.length < o.count * 2) {
      bounds = new long[o.count * 2];
    }
    System.arraycopy(o.bounds, 0, bounds, 0, o.count * 2);
    count = o.count;
  }

  /** Union with {@code o}. */
  public void add(PortRanges o) {
    if (o.count == 0) {
      return;
    }
    long[] raw = Arrays.copyOf(bounds, (count + o.count) * 2);
    System.arraycopy(o.bounds, 0, raw, count * 2, o.count * 2);
    normalizeFrom(raw, count + o.count);
  }

  /** Removes every port of {@code o}. */
  public void subtract(PortRanges o) {
    if (o.count == 0 || count == 0) {
      return;
    }
    long[] out = new long[(count + o.count) * 2];
    int n = 0;
    int j = 0;
    for (int i = 0; i < count; i++) {
      long b = bounds[2 * i];
      long e = bounds[2 * i + 1];
      while (j < o.count && o.bounds[2 * j + 1] < b) {
        j++;
      }
      int k = j;
      while (b <= e && k < o.count && o.bounds[2 * k] <= e) {
        if (o.bounds[2 * k] > b) {
          out = ensure(out, n);
          out[2 * n] = b;
          out[2 * n + 1] = o.bounds[2 * k] - 1;
          n++;
        }
        b = Math.max(b, o.bounds[2 * k + 1] + 1);
        k++;
      }
      if (b <= e) {
        out = ensure(out, n);
        out[2 * n] = b;
        out[2 * n + 1] = e;
        n++;
      }
    }
    bounds = out;
    count = n;
  }

  /** Keeps only the ports also in {@code o}. */
  public void retain(PortRanges o) {
    PortRanges outside = new PortRanges();
    outside.setTo(this);
    outside.subtract(o);
    subtract(outside);
  }

  /** True when every port of {@code o} is here. */
  public boolean covers(PortRanges o) {
    int i = 0;
    for (int j = 0; j < o.count; j++) {
      long b = o.bounds[2 * j];
      long e = o.bounds[2 * j + 1];
      while (i < count && bounds[2 * i + 1] < b) {
        i++;
      }
      if (i == count || bounds[2 * i] > b || bounds[2 * i + 1] < e) {
        return false;
      }
    }
    return true;
  }

  public List<Value.Range> toRanges() {
    List<Value.Range> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new Value.Range(bounds[2 * i], bounds[2 * i + 1]));
    }
    return out;
  }

  private static long[] ensure(long[] a, int n) {
    return a.length >= 2 * n + 2 ? a : Arrays.copyOf(a, Math.max(4, a.length * 2));
  }

  /** Sorts {@code n} raw intervals and merges overlapping or adjacent ones into this. */
  private void normalizeFrom(long[] raw, int n) {
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Long.compare(raw[2 * x], raw[2 * y]));
    long[] out = new long[n * 2];
    int m = 0;
    for (int idx : order) {
      long b = raw[2 * idx];
      long e = raw[2 * idx + 1];
      if (m > 0 && out[2 * m - 1] + 1 >= b) {
        out[2 * m - 1] = Math.max(out[2 * m - 1], e);
      } else {
        out[2 * m] = b;
        out[2 * m + 1] = e;
        m++;
      }
    }
    bounds = out;
    count = m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PortRanges p && count == p.count
        && Arrays.equals(bounds, 0, count * 2, p.bounds, 0, count * 2);
  }

  @Override
  public int hashCode() {
    int h = count;
    for (int i = 0; i < count * 2; i++) {
      h = 31 * h + Long.hashCode(bounds[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    return toRanges().toString();
  }
}
