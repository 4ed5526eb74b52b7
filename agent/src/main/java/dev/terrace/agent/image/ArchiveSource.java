package dev.terrace.agent.image;

import dev.terrace.agent.content.ContentStore;
import dev.terrace.agent.content.Digest;
import dev.terrace.agent.snapshot.EntryPaths;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The files of an image archive, by their names inside it: a tar (plain or gzip, as {@code docker
 * save} or {@code skopeo copy oci-archive:} write it) streamed once into the content store, or an
 * OCI layout directory whose blobs are copied into the store when asked for.
 *
 * <p>Every name obeys {@link EntryPaths}: an entry or symlink target with a {@code ..} component
 * is refused and the whole import fails before any image is recorded.
 */
abstract class ArchiveSource {
  /** Small metadata files kept in memory; anything bigger is a blob. */
  private static final long MAX_METADATA = 4L << 20;

  /** The bytes of a metadata file ({@code manifest.json}, {@code index.json}), or null. */
  abstract byte[] metadata(String name) throws IOException;

  /** Stores the file {@code name} as a blob and returns its digest, or null when absent. */
  abstract Digest blob(String name) throws IOException;

  /** Opens {@code file} (a tar, possibly gzip-compressed, or an OCI layout directory). */
  static ArchiveSource open(Path file, ContentStore store) throws IOException {
    if (Files.isDirectory(file)) {
      return new Directory(file, store);
    }
    return Tar.read(file, store);
  }

  static boolean isMetadata(String name) {
    return name.equals("manifest.json") || name.equals("index.json") || name.equals("oci-layout")
        || name.equals("repositories");
  }

  /** A tar read in one pass: every regular file goes to the store, metadata stays in memory. */
  private static final class Tar extends ArchiveSource {
    private final Map<String, Digest> blobs = new HashMap<>();
    private final Map<String, byte[]> metadata = new HashMap<>();

    static Tar read(Path file, ContentStore store) throws IOException {
      Tar tar = new Tar();
      String archive = "archive " + file.getFileName();
      Map<String, String> links = new HashMap<>();
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GzipCompressorInputStream(raw, true) : raw;
        TarArchiveInputStream entries = new TarArchiveInputStream(in);
        for (TarArchiveEntry e; (e = entries.getNextEntry()) != null; ) {
          Path rel = EntryPaths.relative(e.getName(), e.getName(), archive);
          if (rel == null) {
            continue;
          }
          String name = rel.toString();
          if (e.isSymbolicLink() || e.isLink()) {
            // docker save links a layer shared by two images to its first copy.
            String target = e.isLink() ? e.getLinkName()
                : (rel.getParent() == null ? "" : rel.getParent() + "/") + e.getLinkName();
            Path t = EntryPaths.relative(normalize(target, e.getName(), archive), e.getName(),
                archive);
            if (t == null) {
              throw new IOException(archive + ": link '" + name + "' points at the archive root");
            }
            links.put(name, t.toString());
          } else if (e.isFile()) {
            if (isMetadata(name) && e.getSize() <= MAX_METADATA) {
              tar.metadata.put(name, entries.readAllBytes());
            } else {
              tar.blobs.put(name, store.ingest(entries));
            }
          }
        }
      }
      links.forEach((name, target) -> {
        Digest d = tar.blobs.get(target);
        if (d != null) {
          tar.blobs.put(name, d);
        }
      });
      if (tar.metadata.isEmpty()) {
        throw new IOException(archive + " is neither a docker save archive (no manifest.json)"
            + " nor an OCI image layout (no index.json)");
      }
      return tar;
    }

    /** Folds {@code a/b/../c} to {@code a/c}; a {@code ..} that climbs above the root stays. */
    private static String normalize(String path, String entry, String archive)
        throws IOException {
      java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
      for (String p : path.split("/")) {
        if (p.equals("..")) {
          if (parts.isEmpty()) {
            EntryPaths.relative(path, entry, archive); // throws the escape error
          }
          parts.removeLast();
        } else if (!p.isEmpty() && !p.equals(".")) {
          parts.addLast(p);
        }
      }
      return String.join("/", parts);
    }

    @Override
    byte[] metadata(String name) {
      return metadata.get(name);
    }

    @Override
    Digest blob(String name) {
      return blobs.get(name);
    }
  }

  /** An OCI layout directory. */
  private static final class Directory extends ArchiveSource {
    private final Path root;
    private final ContentStore store;

    Directory(Path root, ContentStore store) throws IOException {
      this.root = root;
      this.store = store;
      if (!Files.isRegularFile(root.resolve("index.json"))) {
        throw new IOException("directory " + root + " is not an OCI image layout (no index.json)");
      }
    }

    private Path file(String name) throws IOException {
      Path rel = EntryPaths.relative(name, name, "layout " + root.getFileName());
      return rel == null ? null : root.resolve(rel);
    }

    @Override
    byte[] metadata(String name) throws IOException {
      Path f = file(name);
      return f != null && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)
          && Files.size(f) <= MAX_METADATA ? Files.readAllBytes(f) : null;
    }

    @Override
    Digest blob(String name) throws IOException {
      Path f = file(name);
      if (f == null || !Files.isRegularFile(f)) {
        return null;
      }
      try (InputStream in = Files.newInputStream(f)) {
        return store.ingest(in);
      }
    }
  }
}
