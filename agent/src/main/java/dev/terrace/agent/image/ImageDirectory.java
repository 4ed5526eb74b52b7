package dev.terrace.agent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's directory of image archives ({@code --image-dir}): {@code docker save} tars
 * (plain or gzip) and OCI layouts (directories, or tars of one). Tells which entries are new or
 * changed since they were last imported (by size and modification time), so that dropping a file
 * in makes its images available at the next launch that asks for them.
 */
final class ImageDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(ImageDirectory.class);

  private record Stamp(long size, long modified) {}

  private final Path dir;
  private final Map<Path, Stamp> seen = new ConcurrentHashMap<>();

  ImageDirectory(Path dir) {
    this.dir = dir;
  }

  /** Entries not imported yet, or changed since. */
  List<Path> changed() {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      LOG.warn("Image directory {} does not exist", dir);
      return out;
    }
    try (var s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        if (p.getFileName().toString().startsWith(".")) {
          continue;
        }
        Stamp now = stamp(p);
        if (now != null && !now.equals(seen.get(p))) {
          out.add(p);
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list image directory {}: {}", dir, e.getMessage());
    }
    return out;
  }

  void imported(Path p) {
    Stamp s = stamp(p);
    if (s != null) {
      seen.put(p, s);
    }
  }

  /** A directory's stamp is its index.json's: that is what changes when a layout gains a tag. */
  private static Stamp stamp(Path p) {
    try {
      Path f = Files.isDirectory(p) ? p.resolve("index.json") : p;
      if (!Files.isRegularFile(f)) {
        return null;
      }
      return new Stamp(Files.size(f), Files.getLastModifiedTime(f).toMillis());
    } catch (IOException e) {
      return null;
    }
  }
}
