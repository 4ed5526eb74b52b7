package dev.terrace.master.allocator;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Clients (roles among their siblings, or frameworks within a role) kept in DRF order: lowest
 * weighted dominant share first, then fewest offers received, then the order they were added.
 * The order is a sorted array so a cycle can walk it and stop at the first client that takes an
 * agent; an update moves one client with a binary search and one array copy, so a cycle costs
 * O(log n) per offer rather than a sort per agent (what Mesos' sorter does).
 *
 * <p>A client's sort key is only changed through {@link #update}, so the array stays sorted and
 * a client can be found by its old key.
 */
final class Sorter<C extends Sorter.Client> {
  /** Something the sorter orders. The key fields belong to the sorter. */
  abstract static class Client {
    private static long nextSeq;

    double share;
    long offers;
    private final long seq = nextSeq++;

    double share() {
      return share;
    }
  }

  private static final Comparator<Client> ORDER = (a, b) -> {
    int c = Double.compare(a.share, b.share);
    if (c != 0) {
      return c;
    }
    c = Long.compare(a.offers, b.offers);
    return c != 0 ? c : Long.compare(a.seq, b.seq);
  };

  private Client[] items = new Client[4];
  private int size;

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  C get(int i) {
    return (C) items[i];
  }

  void add(C client) {
    if (size == items.length) {
      items = Arrays.copyOf(items, size * 2);
    }
    int at = insertionPoint(client);
    System.arraycopy(items, at, items, at + 1, size - at);
    items[at] = client;
    size++;
  }

  void remove(C client) {
    int at = indexOf(client);
    if (at >= 0) {
      System.arraycopy(items, at + 1, items, at, size - at - 1);
      items[--size] = null;
    }
  }

  /** Gives {@code client} a new share (and one more offer when {@code offered}) and re-places it. */
  void update(C client, double share, boolean offered) {
    if (client.share == share && !offered) {
      return;
    }
    int at = indexOf(client);
    client.share = share;
    if (offered) {
      client.offers++;
    }
    if (at < 0) {
      return;
    }
    // Remove and binary-search the new place; only the clients in between move.
    System.arraycopy(items, at + 1, items, at, size - at - 1);
    size--;
    int to = insertionPoint(client);
    System.arraycopy(items, to, items, to + 1, size - to);
    items[to] = client;
    size++;
  }

  /** Sets a share without re-placing; call {@link #resort} after a batch of these. */
  void setShareUnsorted(C client, double share) {
    client.share = share;
  }

  void resort() {
    Arrays.sort(items, 0, size, ORDER);
  }

  private int insertionPoint(Client c) {
    int lo = 0;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ORDER.compare(items[mid], c) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int indexOf(Client c) {
    int at = insertionPoint(c);
    if (at < size && items[at] == c) {
      return at;
    }
    // Not found by key (only if a key changed outside update): fall back to a scan.
    for (int i = 0; i < size; i++) {
      if (items[i] == c) {
        return i;
      }
    }
    return -1;
  }
}
