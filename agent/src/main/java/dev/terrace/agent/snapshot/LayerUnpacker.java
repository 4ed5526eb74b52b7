package dev.terrace.agent.snapshot;

import dev.terrace.agent.content.Digest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks one image layer (a tar, plain, gzip or zstd, told apart by its first bytes) into an
 * empty directory, in the form overlayfs reads as a lower layer: a whiteout {@code .wh.NAME}
 * becomes a character device 0/0 named NAME, and {@code .wh..wh..opq} marks its directory opaque
 * ({@code trusted.overlay.opaque=y}). Owners, modes (with setuid/setgid/sticky), mtimes, xattrs,
 * symlinks, hard links, devices and FIFOs are kept.
 *
 * <p>Nothing is ever written outside the target: names with a {@code ..} component are refused, a
 * path whose parent is a symlink (an earlier entry's) is refused rather than followed, an existing
 * entry is removed before it is replaced (so a file entry never writes through a symlink of the
 * same name), and hard link targets obey the same rules. Symlink targets themselves are kept as
 * they are: they are resolved inside the container's root, never by the agent. On any error the
 * caller removes the directory ({@link #deleteTree}).
 *
 * <p>One instance per layer: it remembers the directories it has already checked.
 */
final class LayerUnpacker {
  private static final Logger LOG = LoggerFactory.getLogger(LayerUnpacker.class);
  private static final String WHITEOUT = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final String XATTR_PAX = "SCHILY.xattr.";
  private static final int BUFFER = 1 << 16;

  private final Path root;
  private final String layerName;
  private final boolean root0 = NativeFs.isRoot();
  /** Directories (relative) known to be real directories created or checked by this unpack. */
  private final Set<Path> checkedDirs = new HashSet<>();
  /** Directory mtimes, applied last: creating children would change them again. */
  private final List<Map.Entry<Path, FileTime>> dirTimes = new ArrayList<>();
  private long entries;

  /**
   * @param root an existing, empty directory
   * @param layerName how error messages name the layer
   */
  LayerUnpacker(Path root, String layerName) {
    this.root = root;
    this.layerName = layerName;
  }

  /** Unpacks {@code layer} and returns the digest of the uncompressed tar (the diff_id). */
  Digest unpack(InputStream layer) throws IOException {
    MessageDigest sha = Digest.newSha256();
    try (DigestInputStream tarBytes = new DigestInputStream(decompress(layer), sha)) {
      TarArchiveInputStream tar = new TarArchiveInputStream(tarBytes);
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        entry(tar, e);
        entries++;
      }
      // The tar reader stops at the end-of-archive blocks; the diff_id covers every byte.
      byte[] buf = new byte[BUFFER];
      while (tarBytes.read(buf) >= 0) {
        // drain
      }
    }
    for (int i = dirTimes.size() - 1; i >= 0; i--) {
      var t = dirTimes.get(i);
      NativeFs.lutimes(t.getKey(), t.getValue().toInstant().getEpochSecond(),
          t.getValue().toInstant().getNano());
    }
    return Digest.of(sha);
  }

  long entries() {
    return entries;
  }

  private static InputStream decompress(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
    in.mark(4);
    byte[] magic = in.readNBytes(4);
    in.reset();
    if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
      return new GzipCompressorInputStream(in, true);
    }
    if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
        && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
      return new ZstdCompressorInputStream(in);
    }
    return in;
  }

  private void entry(TarArchiveInputStream tar, TarArchiveEntry e) throws IOException {
    Path rel = relative(e.getName(), e.getName());
    if (rel == null) {
      return; // "." or "./": the layer root itself
    }
    String base = rel.getFileName().toString();
    Path parent = rel.getParent();
    if (base.startsWith(WHITEOUT)) {
      whiteout(rel, parent, base);
      return;
    }
    Path path = root.resolve(rel);
    ensureDirectories(parent, e.getName());
    if (e.isDirectory()) {
      if (!checkedDirs.contains(rel)) {
        BasicFileAttributes a = lstat(path);
        if (a != null && !a.isDirectory()) {
          remove(path, a);
          a = null;
        }
        if (a == null) {
          Files.createDirectory(path);
        }
        checkedDirs.add(rel);
      }
      metadata(path, e);
      dirTimes.add(Map.entry(path, e.getLastModifiedTime()));
      return;
    }
    replace(path, rel);
    if (e.isSymbolicLink()) {
      NativeFs.symlink(e.getLinkName(), path);
      owner(path, e);
      NativeFs.lutimes(path, e.getLastModifiedTime().toInstant().getEpochSecond(), 0);
    } else if (e.isLink()) {
      Path target = relative(e.getLinkName(), e.getName());
      if (target == null) {
        throw new LayerEscapeException(layerName + ": hard link '" + e.getName()
            + "' points at the layer root");
      }
      ensureDirectories(target.getParent(), e.getName());
      BasicFileAttributes a = lstat(root.resolve(target));
      if (a == null || a.isDirectory()) {
        throw new IOException(layerName + ": hard link '" + e.getName() + "' -> '"
            + e.getLinkName() + "': target " + (a == null ? "does not exist" : "is a directory"));
      }
      // link(2) does not follow a symlink target: the new name shares the symlink's inode.
      Files.createLink(path, root.resolve(target));
    } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      int type = e.isFIFO() ? NativeFs.S_IFIFO
          : e.isCharacterDevice() ? NativeFs.S_IFCHR : NativeFs.S_IFBLK;
      NativeFs.mknod(path, type | (e.getMode() & 07777),
          e.isFIFO() ? 0 : NativeFs.makedev(e.getDevMajor(), e.getDevMinor()));
      metadata(path, e);
      times(path, e);
    } else if (e.isFile()) {
      try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        tar.transferTo(out);
      }
      metadata(path, e);
      times(path, e);
    } else {
      LOG.debug("{}: skipping tar entry '{}' of unsupported type", layerName, e.getName());
    }
  }

  /** {@code .wh..wh..opq} marks the directory opaque; {@code .wh.NAME} hides NAME below. */
  private void whiteout(Path rel, Path parent, String base) throws IOException {
    ensureDirectories(parent, rel.toString());
    Path dir = parent == null ? root : root.resolve(parent);
    if (base.equals(OPAQUE)) {
      NativeFs.lsetxattr(dir, "trusted.overlay.opaque", "y");
      return;
    }
    if (base.startsWith(WHITEOUT + WHITEOUT)) {
      return; // other AUFS metadata (.wh..wh.plnk, ...): meaningless for overlayfs
    }
    String hidden = base.substring(WHITEOUT.length());
    if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
      throw new LayerEscapeException(layerName + ": invalid whiteout '" + rel + "'");
    }
    Path path = dir.resolve(hidden);
    replace(path, parent == null ? Path.of(hidden) : parent.resolve(hidden));
    NativeFs.mknod(path, NativeFs.S_IFCHR, 0);
  }

  /**
   * The entry name as a relative path below the root, or null for the root itself. A leading
   * {@code /} or {@code ./} is dropped (tar writes names relative to the archive's root); any
   * {@code ..} component is refused, whether or not it would stay inside.
   */
  private Path relative(String name, String entryName) throws LayerEscapeException {
    return EntryPaths.relative(name, entryName, layerName);
  }


  /**
   * Makes sure every component of {@code dir} is a real directory, creating missing ones, and
   * refuses a symlink anywhere on the way: following it could lead outside the layer.
   */
  private void ensureDirectories(Path dir, String entryName) throws IOException {
    if (dir == null || checkedDirs.contains(dir)) {
      return;
    }
    ensureDirectories(dir.getParent(), entryName);
    Path path = root.resolve(dir);
    BasicFileAttributes a = lstat(path);
    if (a == null) {
      Files.createDirectory(path);
    } else if (a.isSymbolicLink()) {
      throw new LayerEscapeException(layerName + ": refused entry '" + entryName
          + "': its parent '" + dir + "' is a symlink, and writing through it could escape the"
          + " layer directory");
    } else if (!a.isDirectory()) {
      throw new IOException(layerName + ": entry '" + entryName + "': parent '" + dir
          + "' is not a directory");
    }
    checkedDirs.add(dir);
  }

  /** Removes whatever is at {@code path} so that a new entry replaces it (never writes into it). */
  private void replace(Path path, Path rel) throws IOException {
    BasicFileAttributes a = lstat(path);
    if (a != null) {
      remove(path, a);
      checkedDirs.removeIf(d -> d.startsWith(rel));
    }
  }

  private static void remove(Path path, BasicFileAttributes a) throws IOException {
    if (a.isDirectory()) {
      deleteTree(path);
    } else {
      Files.delete(path);
    }
  }

  private static BasicFileAttributes lstat(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Owner, then mode (chown clears setuid bits), then xattrs, of a non-symlink. */
  private void metadata(Path path, TarArchiveEntry e) throws IOException {
    owner(path, e);
    NativeFs.chmod(path, e.getMode() & 07777);
    for (Map.Entry<String, String> h : e.getExtraPaxHeaders().entrySet()) {
      if (h.getKey().startsWith(XATTR_PAX)) {
        xattr(path, h.getKey().substring(XATTR_PAX.length()), h.getValue());
      }
    }
  }

  private void xattr(Path path, String name, String value) throws IOException {
    if (name.startsWith("trusted.overlay.")) {
      return; // overlayfs' own attributes come from whiteouts, never from a layer
    }
    if (value.indexOf('\uFFFD') >= 0) {
      // The tar reader decodes PAX values as UTF-8; binary values are lost in that decoding.
      LOG.warn("{}: xattr {} of {} is binary and cannot be kept", layerName, name, path);
      return;
    }
    NativeFs.lsetxattr(path, name, value.getBytes(StandardCharsets.UTF_8));
  }

  private void owner(Path path, TarArchiveEntry e) throws IOException {
    int uid = (int) e.getLongUserId();
    int gid = (int) e.getLongGroupId();
    // Files we create already belong to us: skip the call for the common root-owned entry.
    if (root0 && (uid != 0 || gid != 0)) {
      NativeFs.lchown(path, uid, gid);
    }
  }

  private static void times(Path path, TarArchiveEntry e) throws IOException {
    var t = e.getLastModifiedTime().toInstant();
    NativeFs.lutimes(path, t.getEpochSecond(), t.getNano());
  }

  /** Deletes {@code dir} and everything below it without following any symlink. */
  static void deleteTree(Path dir) throws IOException {
    if (lstat(dir) == null) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
