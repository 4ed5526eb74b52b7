package dev.terrace.agent.image;

import dev.terrace.agent.content.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes downloaded per layer of one pull in progress, read by the task's supervisor for its
 * TASK_STARTING message while download threads add to it. Layers already in the store count as
 * complete.
 */
public final class PullProgress {
  private final String reference;
  private final Map<Digest, long[]> layers = new LinkedHashMap<>(); // digest -> {done, total}

  PullProgress(String reference) {
    this.reference = reference;
  }

  synchronized void expect(Digest layer, long total, boolean present) {
    layers.put(layer, new long[] {present ? total : 0, total});
  }

  synchronized void restart(Digest layer) {
    long[] l = layers.get(layer);
    if (l != null) {
      l[0] = 0;
    }
  }

  synchronized void add(Digest layer, long bytes) {
    long[] l = layers.get(layer);
    if (l != null) {
      l[0] += bytes;
    }
  }

  /** Bytes done and expected over all layers. */
  public synchronized long[] totals() {
    long done = 0;
    long total = 0;
    for (long[] l : layers.values()) {
      done += l[0];
      total += l[1];
    }
    return new long[] {done, total};
  }

  /**
   * {@code Pulling image R: 3.1 of 5.2 MiB (60%); layers a1b2c3d4e5f6 1.0/1.0 MiB, ...}; before
   * the manifest is in, just {@code Pulling image R}.
   */
  public synchronized String describe() {
    if (layers.isEmpty()) {
      return "Pulling image " + reference;
    }
    long[] t = totals();
    StringBuilder s = new StringBuilder("Pulling image ").append(reference).append(": ")
        .append(mib(t[0])).append(" of ").append(mib(t[1])).append(" MiB (")
        .append(t[1] == 0 ? 100 : t[0] * 100 / t[1]).append("%); layers");
    String sep = " ";
    for (Map.Entry<Digest, long[]> e : layers.entrySet()) {
      s.append(sep).append(e.getKey().shortHex()).append(' ').append(mib(e.getValue()[0]))
          .append('/').append(mib(e.getValue()[1])).append(" MiB");
      sep = ", ";
    }
    return s.toString();
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
  }

  /** Counts what is read through it into {@code layer}, and tells {@code observer}. */
  InputStream counting(InputStream in, Digest layer, PullObserver observer) {
    restart(layer);
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          counted(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          counted(n);
        }
        return n;
      }

      private void counted(int n) {
        add(layer, n);
        observer.bytesDownloaded(n);
      }
    };
  }
}
