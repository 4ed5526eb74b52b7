package dev.terrace.agent.fetcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds small tar, tgz and zip archives for the fetcher tests. */
public final class Archives {
  private Archives() {}

  /** A tar (gzipped if asked) of {@code name, content, mode} triples; mode 0 means a symlink to content. */
  public static byte[] tar(boolean gzip, Object... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream out = gzip ? new GzipCompressorOutputStream(bytes) : bytes;
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (int i = 0; i < entries.length; i += 3) {
        String name = (String) entries[i];
        byte[] content = ((String) entries[i + 1]).getBytes(StandardCharsets.UTF_8);
        int mode = (Integer) entries[i + 2];
        if (mode == 0) {
          TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
          link.setLinkName((String) entries[i + 1]);
          tar.putArchiveEntry(link);
          tar.closeArchiveEntry();
          continue;
        }
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  public static byte[] zip(String name, String content, int mode) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
      ZipArchiveEntry e = new ZipArchiveEntry(name);
      e.setUnixMode(mode);
      zip.putArchiveEntry(e);
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeArchiveEntry();
    }
    return bytes.toByteArray();
  }
}
