package dev.terrace.agent.image;

import dev.terrace.agent.content.ContentStore;
import dev.terrace.agent.content.Digest;
import dev.terrace.agent.snapshot.LayerStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Image garbage collection. Removing an image removes its record; a sweep then deletes every blob
 * no record names and every unpacked layer that neither a record nor a container needs.
 *
 * <p>Safety against concurrent pulls: a pull or import holds the store's read lock from its first
 * download until its record is written, and a sweep runs only under the write lock, taken without
 * waiting ({@code tryLock}), so a sweep never blocks a launch and never sees a pulled blob that no
 * record names yet. A sweep that finds the lock taken is marked pending and runs when the last
 * pull ends ({@link #afterPull}).
 *
 * <p>Removals (remove, prune, collect) also run one at a time ({@link #removals}, taken with
 * waiting: they never hold up a pull). Without it a prune racing a background collection found
 * the write lock taken by the collection, deferred its sweep and returned with its images' blobs
 * still on disk.
 */
final class ImageCollector {
  private static final Logger LOG = LoggerFactory.getLogger(ImageCollector.class);

  /** The layer directories containers use now (on disk, and leased by launches in progress). */
  interface Usage {
    Set<Path> layersInUse() throws IOException;
  }

  /** What a removal did. */
  record Removed(List<String> references, long freedBytes, boolean swept) {}

  private final ImageRecords records;
  private final ContentStore content;
  private final LayerStore layers;
  private final Usage usage;
  private final Lock sweepLock;
  private final ReentrantLock removals = new ReentrantLock();
  private final long threshold;
  private final Map<Digest, Long> layerSizes = new ConcurrentHashMap<>();
  private volatile boolean pending;

  ImageCollector(ImageRecords records, ContentStore content, LayerStore layers, Usage usage,
      Lock sweepLock, long threshold) {
    this.records = records;
    this.content = content;
    this.layers = layers;
    this.usage = usage;
    this.sweepLock = sweepLock;
    this.threshold = threshold;
  }

  List<ImageSummary> list() throws IOException {
    Set<Path> used = usage.layersInUse();
    List<ImageSummary> out = new ArrayList<>();
    for (ImageRecord r : records.all()) {
      long size = 0;
      for (Digest d : r.blobs()) {
        size += content.size(d);
      }
      for (Digest diffId : diffIds(r)) {
        size += layerSize(diffId);
      }
      out.add(new ImageSummary(r.reference(), r.manifest().toString(), r.source(), size,
          r.lastUsed(), inUse(r, used)));
    }
    out.sort(Comparator.comparing(ImageSummary::reference));
    return out;
  }

  /** Removes the image {@code reference}; refuses (changing nothing) when a container uses it. */
  Removed remove(String reference) throws IOException {
    removals.lock();
    try {
      return removeOne(reference);
    } finally {
      removals.unlock();
    }
  }

  private Removed removeOne(String reference) throws IOException {
    ImageRecord r = records.get(reference)
        .orElseThrow(() -> new java.nio.file.NoSuchFileException("no image " + reference
            + " on this agent"));
    if (inUse(r, usage.layersInUse())) {
      throw new ImageInUseException("image " + reference + " is used by a container");
    }
    records.remove(reference);
    return sweepAfter(List.of(reference));
  }

  /** Removes every image no container uses. */
  Removed prune() throws IOException {
    removals.lock();
    try {
      return pruneUnused();
    } finally {
      removals.unlock();
    }
  }

  private Removed pruneUnused() throws IOException {
    Set<Path> used = usage.layersInUse();
    List<String> removed = new ArrayList<>();
    for (ImageRecord r : records.all()) {
      if (!inUse(r, used) && records.remove(r.reference())) {
        removed.add(r.reference());
      }
    }
    return sweepAfter(removed);
  }

  /**
   * Keeps the store under the threshold: removes unused images, least recently used first, until
   * blobs and layers fit (or nothing unused is left). Returns what was removed.
   */
  Removed collect() throws IOException {
    if (threshold <= 0) {
      return new Removed(List.of(), 0, true);
    }
    removals.lock();
    try {
      return collectOverThreshold();
    } finally {
      removals.unlock();
    }
  }

  private Removed collectOverThreshold() throws IOException {
    if (!sweepLock.tryLock()) {
      pending = true;
      return new Removed(List.of(), 0, false);
    }
    try {
      long before = diskUsage();
      long now = before;
      List<String> removed = new ArrayList<>();
      if (now > threshold) {
        Set<Path> used = usage.layersInUse();
        List<ImageRecord> candidates = new ArrayList<>(records.all().stream()
            .filter(r -> !inUse(r, used)).toList());
        candidates.sort(Comparator.comparingLong(ImageRecord::lastUsed));
        for (ImageRecord r : candidates) {
          if (now <= threshold) {
            break;
          }
          records.remove(r.reference());
          removed.add(r.reference());
          sweep();
          now = diskUsage();
        }
        LOG.info("Image GC: {} bytes over the threshold of {}; removed {} ({} bytes freed)",
            before - threshold, threshold, removed, before - now);
      }
      return new Removed(removed, before - now, true);
    } finally {
      unlockAndCatchUp();
    }
  }

  boolean pending() {
    return pending;
  }

  /** Runs a sweep or collection that had to wait for pulls to finish. */
  void afterPull() {
    if (pending) {
      pending = false;
      try {
        if (threshold > 0) {
          collect();
        } else {
          sweepAfter(List.of());
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("Deferred image GC failed: {}", e.getMessage());
      }
    }
  }

  private Removed sweepAfter(List<String> removed) throws IOException {
    if (!sweepLock.tryLock()) {
      pending = true;
      LOG.info("Images {} removed; their blobs go once the pulls in progress end", removed);
      return new Removed(removed, 0, false);
    }
    try {
      long before = diskUsage();
      sweep();
      return new Removed(removed, before - diskUsage(), true);
    } finally {
      unlockAndCatchUp();
    }
  }

  /**
   * Releases the sweep lock, then runs a sweep that found the lock taken meanwhile (a removal
   * racing this one): without this it would wait for the next pull.
   */
  private void unlockAndCatchUp() {
    sweepLock.unlock();
    if (pending && sweepLock.tryLock()) {
      pending = false;
      try {
        sweep();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Deferred image sweep failed: {}", e.getMessage());
      } finally {
        unlockAndCatchUp();
      }
    }
  }

  /** Under the write lock: deletes what nothing needs. */
  private void sweep() throws IOException {
    Set<Path> used;
    try {
      used = usage.layersInUse();
    } catch (IOException e) {
      LOG.warn("Image GC keeps every layer, as it cannot tell which are in use: {}",
          e.getMessage());
      used = null;
    }
    Set<Digest> blobs = new HashSet<>();
    Set<Digest> keepLayers = new HashSet<>();
    for (ImageRecord r : records.all()) {
      blobs.addAll(r.blobs());
      keepLayers.addAll(diffIds(r));
    }
    for (Digest d : content.list()) {
      if (!blobs.contains(d)) {
        content.delete(d);
      }
    }
    if (used == null) {
      return;
    }
    for (Digest d : layers.list()) {
      if (!keepLayers.contains(d) && !used.contains(layers.path(d))) {
        layers.delete(d);
        layerSizes.remove(d);
        LOG.info("Image GC removed layer {}", d);
      }
    }
  }

  private boolean inUse(ImageRecord r, Set<Path> used) {
    try {
      List<Digest> ids = diffIds(r);
      return !ids.isEmpty() && ids.stream().allMatch(d -> used.contains(layers.path(d)));
    } catch (IOException e) {
      return true; // cannot tell: keep it
    }
  }

  private List<Digest> diffIds(ImageRecord r) throws IOException {
    Path config = content.path(r.config());
    if (!Files.exists(config)) {
      return List.of();
    }
    return ImageConfig.parse(Files.readAllBytes(config)).diffIds();
  }

  private long layerSize(Digest diffId) throws IOException {
    Long cached = layerSizes.get(diffId);
    if (cached != null) {
      return cached;
    }
    long size = layers.size(diffId);
    if (size > 0) {
      layerSizes.put(diffId, size);
    }
    return size;
  }

  /** Bytes of every blob and unpacked layer. */
  long diskUsage() throws IOException {
    long total = 0;
    for (Digest d : content.list()) {
      total += content.size(d);
    }
    for (Digest d : layers.list()) {
      total += layerSize(d);
    }
    return total;
  }
}
