package dev.terrace.agent.fetcher;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a fetched tar, tar.gz/tgz or zip into the sandbox. Every entry must land inside the
 * target directory: an entry whose name is absolute or climbs out with {@code ..}, and a link that
 * points outside, fail the whole fetch (a task's archive must never write into the agent's host).
 * Regular files keep their executable bit.
 */
final class ArchiveExtractor {
  enum Format { TAR, TAR_GZ, ZIP }

  private ArchiveExtractor() {}

  static Optional<Format> formatOf(String fileName) {
    String n = fileName.toLowerCase(Locale.ROOT);
    if (n.endsWith(".tar.gz") || n.endsWith(".tgz")) {
      return Optional.of(Format.TAR_GZ);
    }
    if (n.endsWith(".tar")) {
      return Optional.of(Format.TAR);
    }
    if (n.endsWith(".zip")) {
      return Optional.of(Format.ZIP);
    }
    return Optional.empty();
  }

  static void extract(Path archive, Format format, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    if (format == Format.ZIP) {
      // The zip's central directory (read by ZipFile, not the streaming reader) holds Unix modes.
      try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
        for (ZipArchiveEntry entry : java.util.Collections.list(zip.getEntries())) {
          try (InputStream in = zip.getInputStream(entry)) {
            write(root, entry, in);
          }
        }
      }
      return;
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
         ArchiveInputStream<? extends ArchiveEntry> in = open(raw, format)) {
      ArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        write(root, entry, in);
      }
    }
  }

  private static void write(Path root, ArchiveEntry entry, InputStream in) throws IOException {
    Path dest = inside(root, entry.getName());
    if (entry.isDirectory()) {
      Files.createDirectories(dest);
      return;
    }
    Files.createDirectories(dest.getParent());
    if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink())) {
      link(root, dest, tar);
      return;
    }
    if (entry instanceof TarArchiveEntry tar && !tar.isFile()) {
      return; // devices and fifos have no place in a sandbox
    }
    if (entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink()) {
      throw new FetchException("archive entry " + entry.getName() + " is a symlink; zip links are not extracted");
    }
    Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
    if (isExecutable(entry)) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dest);
      perms.add(PosixFilePermission.OWNER_EXECUTE);
      perms.add(PosixFilePermission.GROUP_EXECUTE);
      perms.add(PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(dest, perms);
    }
  }

  private static ArchiveInputStream<? extends ArchiveEntry> open(InputStream raw, Format format)
      throws IOException {
    return switch (format) {
      case TAR -> new TarArchiveInputStream(raw);
      case TAR_GZ -> new TarArchiveInputStream(new GzipCompressorInputStream(raw));
      case ZIP -> throw new IllegalArgumentException("zip is read with ZipFile");
    };
  }

  private static void link(Path root, Path dest, TarArchiveEntry tar) throws IOException {
    if (tar.isLink()) {
      Files.deleteIfExists(dest);
      Files.createLink(dest, inside(root, tar.getLinkName()));
      return;
    }
    Path target = Path.of(tar.getLinkName());
    Path resolved = dest.getParent().resolve(target).normalize();
    if (target.isAbsolute() || !resolved.startsWith(root)) {
      throw new FetchException("archive entry " + tar.getName() + " links to " + tar.getLinkName()
          + ", outside the sandbox");
    }
    Files.deleteIfExists(dest);
    Files.createSymbolicLink(dest, target);
  }

  private static Path inside(Path root, String name) throws FetchException {
    Path p = root.resolve(name).normalize();
    if (Path.of(name).isAbsolute() || !p.startsWith(root) || p.equals(root) && !name.matches("\\.?/?")) {
      throw new FetchException("archive entry " + name + " would be written outside the sandbox");
    }
    return p;
  }

  private static boolean isExecutable(ArchiveEntry entry) {
    if (entry instanceof TarArchiveEntry tar) {
      return (tar.getMode() & 0111) != 0;
    }
    if (entry instanceof ZipArchiveEntry zip) {
      return (zip.getUnixMode() & 0111) != 0;
    }
    return false;
  }
}
