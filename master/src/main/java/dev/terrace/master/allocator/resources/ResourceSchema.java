package dev.terrace.master.allocator.resources;

import java.util.HashMap;
import java.util.Map;

/**
 * The name-to-index table of the allocator's scalar vectors. The usual names come first so their
 * indexes are constants; other scalar names (custom resources) take the next free slots. The
 * table is small and fixed in size so that every {@link ResourceVector} is one flat array and
 * vector math never allocates.
 */
public final class ResourceSchema {
  /** Slots per vector: the four usual resources plus room for a few custom ones. */
  public static final int DIMS = 12;
  public static final int CPUS = 0;
  public static final int MEM = 1;
  public static final int DISK = 2;
  public static final int GPUS = 3;

  private final Map<String, Integer> index = new HashMap<>();
  private final String[] names = new String[DIMS];
  private int size;

  public ResourceSchema() {
    indexOf("cpus");
    indexOf("mem");
    indexOf("disk");
    indexOf("gpus");
  }

  /** The slot of {@code name}, taking a new one for a name not seen before. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    if (i != null) {
      return i;
    }
    if (size == DIMS) {
      throw new IllegalArgumentException("more than " + DIMS + " distinct scalar resource names;"
          + " '" + name + "' does not fit the allocator's vectors");
    }
    names[size] = name;
    index.put(name, size);
    return size++;
  }

  /** The slot of {@code name}, or -1 when no resource of that name was ever seen. */
  public int find(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  public String name(int i) {
    return names[i];
  }

  public int size() {
    return size;
  }
}
