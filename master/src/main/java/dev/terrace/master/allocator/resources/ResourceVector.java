package dev.terrace.master.allocator.resources;

import java.util.Arrays;

/**
 * Scalar resources as fixed-point milli-units in one flat array indexed by {@link ResourceSchema}
 * (cpus, mem, disk, gpus, ...). Mutable on purpose: the allocation cycle updates vectors in place
 * so that a cycle over tens of thousands of agents allocates next to nothing.
 */
public final class ResourceVector {
  /** Stands for "no limit" in a slot; big enough that sums of real quantities never reach it. */
  public static final long UNLIMITED = Long.MAX_VALUE / 4;

  private final long[] milli = new long[ResourceSchema.DIMS];

  public long get(int i) {
    return milli[i];
  }

  public void set(int i, long value) {
    milli[i] = value;
  }

  public void setTo(ResourceVector o) {
    System.arraycopy(o.milli, 0, milli, 0, milli.length);
  }

  public void fill(long value) {
    Arrays.fill(milli, value);
  }

  public void clear() {
    Arrays.fill(milli, 0);
  }

  public void add(ResourceVector o) {
    for (int i = 0; i < milli.length; i++) {
      milli[i] += o.milli[i];
    }
  }

  /** Exact subtraction; slots may go negative (callers that must not use {@link #subtractFloored}). */
  public void subtract(ResourceVector o) {
    for (int i = 0; i < milli.length; i++) {
      milli[i] -= o.milli[i];
    }
  }

  /** Subtraction that stops at zero in every slot. */
  public void subtractFloored(ResourceVector o) {
    for (int i = 0; i < milli.length; i++) {
      milli[i] = Math.max(0, milli[i] - o.milli[i]);
    }
  }

  /** Each slot becomes the smaller of this and {@code o}. */
  public void minWith(ResourceVector o) {
    for (int i = 0; i < milli.length; i++) {
      milli[i] = Math.min(milli[i], o.milli[i]);
    }
  }

  public boolean isZero() {
    for (long v : milli) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  /** True when every slot of {@code o} fits in this one. */
  public boolean covers(ResourceVector o) {
    for (int i = 0; i < milli.length; i++) {
      if (o.milli[i] > milli[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * DRF's dominant share: the largest fraction of {@code total} this vector holds in any slot
   * (slots the cluster has none of do not count).
   */
  public double dominantShare(ResourceVector total) {
    double share = 0;
    for (int i = 0; i < milli.length; i++) {
      long t = total.milli[i];
      if (t > 0 && milli[i] > 0) {
        share = Math.max(share, (double) milli[i] / t);
      }
    }
    return share;
  }

  public double scalar(int i) {
    return milli[i] / 1000.0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceVector v && Arrays.equals(milli, v.milli);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(milli);
  }

  /** The non-zero slots in Mesos' text form, names from {@code schema}. */
  public String toString(ResourceSchema schema) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < schema.size(); i++) {
      if (milli[i] != 0) {
        if (sb.length() > 0) {
          sb.append(';');
        }
        sb.append(schema.name(i)).append(':');
        sb.append(milli[i] >= UNLIMITED ? "inf"
            : milli[i] % 1000 == 0 ? Long.toString(milli[i] / 1000) : Double.toString(milli[i] / 1000.0));
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return Arrays.toString(milli);
  }
}
