package dev.terrace.agent.snapshot;

import dev.terrace.agent.content.Digest;
import dev.terrace.agent.content.SingleFlight;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacked layers under {@code <root>/sha256/<diff_id hex>}, shared by every image and container
 * that uses them. A layer is unpacked into {@code <root>/tmp/...}, its uncompressed digest checked
 * against the image config's diff_id, then renamed into place; a failed or refused layer is
 * removed entirely. Concurrent requests for one layer share a single unpack.
 */
public final class LayerStore {
  private static final Logger LOG = LoggerFactory.getLogger(LayerStore.class);

  /** Opens the (compressed or not) layer blob. */
  @FunctionalInterface
  public interface Blob {
    InputStream open() throws IOException;
  }

  private final Path root;
  private final Path tmp;
  private final SingleFlight<Digest> flights = new SingleFlight<>();

  public LayerStore(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root.resolve(Digest.ALGORITHM));
    this.tmp = Files.createDirectories(root.resolve("tmp"));
    clearLeftovers();
  }

  /** Where the layer with {@code diffId} lives once unpacked. */
  public Path path(Digest diffId) {
    return root.resolve(Digest.ALGORITHM).resolve(diffId.hex());
  }

  /**
   * Returns the directory of layer {@code diffId}, unpacking {@code blob} unless it is there.
   *
   * @throws LayerEscapeException when the layer tries to write outside its directory
   * @throws IOException when the content does not match {@code diffId} or cannot be unpacked
   */
  public Path unpack(Digest diffId, Blob blob) throws IOException {
    Path target = path(diffId);
    return flights.get(diffId, target, Files::isDirectory, () -> unpackNew(diffId, blob, target));
  }

  private void unpackNew(Digest diffId, Blob blob, Path target) throws IOException {
    Path work = Files.createDirectory(tmp.resolve(diffId.shortHex() + "-" + UUID.randomUUID()));
    String name = "layer " + diffId;
    try {
      long start = System.nanoTime();
      LayerUnpacker unpacker = new LayerUnpacker(work, name);
      Digest actual;
      try (InputStream in = blob.open()) {
        actual = unpacker.unpack(in);
      }
      if (!actual.equals(diffId)) {
        throw new IOException(name + ": the uncompressed content hashes to " + actual
            + ", not to the diff_id the image config names");
      }
      // The layer directory is a lower layer: its own mode is what the container's / gets.
      Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
      LOG.info("Unpacked {} ({} entries) in {} ms", name, unpacker.entries(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      try {
        LayerUnpacker.deleteTree(work);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** The diff_ids of every unpacked layer. */
  public java.util.List<Digest> list() throws IOException {
    try (var s = Files.list(root.resolve(Digest.ALGORITHM))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}"))
          .map(Digest::new).toList();
    }
  }

  /** Bytes the layer takes on disk (file sizes; directories and links count as nothing). */
  public long size(Digest diffId) throws IOException {
    Path dir = path(diffId);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long[] total = {0};
    Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
      @Override
      public java.nio.file.FileVisitResult visitFile(Path f,
          java.nio.file.attribute.BasicFileAttributes a) {
        if (a.isRegularFile()) {
          total[0] += a.size();
        }
        return java.nio.file.FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  /**
   * Removes layer {@code diffId}: renamed out of place first, so that a crash half way never
   * leaves a partial layer under its final name. The caller makes sure no container uses it.
   */
  public void delete(Digest diffId) throws IOException {
    Path dir = path(diffId);
    if (!Files.isDirectory(dir)) {
      return;
    }
    Path doomed = tmp.resolve("deleting-" + diffId.shortHex() + "-" + UUID.randomUUID());
    Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
    LayerUnpacker.deleteTree(doomed);
  }

  /** Half-unpacked layers of a previous agent run. */
  private void clearLeftovers() throws IOException {
    try (var s = Files.list(tmp)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        LayerUnpacker.deleteTree(p);
      }
    }
  }
}
