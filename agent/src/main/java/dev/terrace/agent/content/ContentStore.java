package dev.terrace.agent.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * Content-addressed blobs under {@code <root>/sha256/<hex>}, shared by every task on the agent.
 *
 * <p>A blob is written to {@code <root>/tmp} while its digest is computed, verified, then renamed
 * into place: a reader never sees a partial or unverified blob, and a crash leaves only a
 * temporary file. Concurrent requests for the same digest share one download (the first caller
 * fetches, the others wait for its result), so two tasks pulling one image at once fetch each blob
 * once.
 */
public final class ContentStore {
  private static final int BUFFER = 1 << 16;

  /** Opens the stream of a blob's bytes; called once per download attempt. */
  @FunctionalInterface
  public interface Source {
    InputStream open() throws IOException;
  }

  private final Path root;
  private final Path tmp;
  private final SingleFlight<Digest> flights = new SingleFlight<>();

  public ContentStore(Path root) throws IOException {
    this.root = root;
    Files.createDirectories(root.resolve(Digest.ALGORITHM));
    this.tmp = Files.createDirectories(root.resolve("tmp"));
  }

  public Path root() {
    return root;
  }

  /** Where the blob {@code digest} lives (whether or not it is there yet). */
  public Path path(Digest digest) {
    return root.resolve(Digest.ALGORITHM).resolve(digest.hex());
  }

  public boolean contains(Digest digest) {
    return Files.isRegularFile(path(digest));
  }

  /**
   * Returns the path of blob {@code digest}, downloading it from {@code source} unless it is
   * present or already being downloaded by another caller (whose result is then shared).
   *
   * @param expectedSize the size the descriptor announced, or -1 when unknown
   * @throws DigestMismatchException when the bytes do not match {@code digest}
   */
  public Path fetch(Digest digest, long expectedSize, Source source) throws IOException {
    return flights.get(digest, path(digest), Files::isRegularFile,
        () -> write(digest, expectedSize, source));
  }

  /** Stores {@code bytes} (a manifest or config already in memory) after checking the digest. */
  public Path put(Digest digest, byte[] bytes) throws IOException {
    return fetch(digest, bytes.length, () -> new java.io.ByteArrayInputStream(bytes));
  }

  /**
   * Stores a blob whose digest is not known in advance (an entry of an image archive): the bytes
   * are hashed while written and the blob lands under the digest they have.
   */
  public Digest ingest(InputStream in) throws IOException {
    Path part = tmp.resolve("ingest." + UUID.randomUUID());
    try {
      MessageDigest sha = Digest.newSha256();
      try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
          out.write(buf, 0, n);
        }
      }
      Digest digest = Digest.of(sha);
      if (!contains(digest)) {
        // Same bytes as any concurrent writer of this digest: replacing it is harmless.
        Files.move(part, path(digest), StandardCopyOption.ATOMIC_MOVE);
      }
      return digest;
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Every blob in the store. */
  public java.util.List<Digest> list() throws IOException {
    try (var s = Files.list(root.resolve(Digest.ALGORITHM))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9a-f]{64}"))
          .map(Digest::new).toList();
    }
  }

  /** The size of blob {@code digest}, 0 when absent. */
  public long size(Digest digest) throws IOException {
    Path p = path(digest);
    return Files.isRegularFile(p) ? Files.size(p) : 0;
  }

  /** Removes blob {@code digest}; the caller makes sure nothing needs it any more. */
  public boolean delete(Digest digest) throws IOException {
    return Files.deleteIfExists(path(digest));
  }

  private void write(Digest digest, long expectedSize, Source source) throws IOException {
    Path part = tmp.resolve(digest.hex() + "." + UUID.randomUUID());
    try {
      MessageDigest sha = Digest.newSha256();
      long size = 0;
      try (InputStream in = source.open();
          OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE)) {
        byte[] buf = new byte[BUFFER];
        for (int n; (n = in.read(buf)) > 0; ) {
          sha.update(buf, 0, n);
          out.write(buf, 0, n);
          size += n;
          if (expectedSize >= 0 && size > expectedSize) {
            throw new IOException("blob " + digest + " is larger than the " + expectedSize
                + " bytes its descriptor announced");
          }
        }
      }
      if (expectedSize >= 0 && size != expectedSize) {
        throw new IOException("blob " + digest + " ended after " + size + " of " + expectedSize
            + " bytes");
      }
      Digest actual = Digest.of(sha);
      if (!actual.equals(digest)) {
        throw new DigestMismatchException(digest, actual, size);
      }
      try {
        Files.move(part, path(digest), StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        throw new IOException("cannot move blob " + digest + " into place: " + e, e);
      }
    } finally {
      Files.deleteIfExists(part);
    }
  }
}
