package dev.terrace.agent.sandbox;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps a task's {@code stdout} and {@code stderr} while the task writes them, without losing a
 * byte: the head of the file is copied to {@code stdout.1} (older ones shift to {@code .2}, ...;
 * the oldest beyond {@code maxFiles} is dropped), then cut out of the live file in place with
 * {@code fallocate(FALLOC_FL_COLLAPSE_RANGE)}. The task's file descriptor was opened with
 * {@code O_APPEND} (conmon passes the sandbox files straight through), so what it writes during
 * the copy lands after the cut and stays; nothing is renamed under it and it never reopens.
 *
 * <p>Why not conmon's {@code --log-size-max}: it works only with its k8s-file driver, which
 * rewrites every line with a timestamp and stream tag and merges stdout with stderr (the sandbox
 * files would no longer be what the task wrote, as Mesos tools expect), and at the cap it truncates
 * the log, keeping no history. Copy-and-truncate, as logrotate does, loses what is written between
 * the copy and the truncate.
 *
 * <p>The cut is a multiple of the file system's block size, so a line may be split between
 * {@code stdout.1} and {@code stdout}; concatenated, the files are exactly what the task wrote. On
 * a file system without collapse-range (tmpfs, NFS) the rotator falls back to copy-and-truncate
 * and says so once.
 */
public final class LogRotator {
  private static final Logger LOG = LoggerFactory.getLogger(LogRotator.class);
  private static final int O_WRONLY = 1;
  private static final int O_CLOEXEC = 02000000;
  private static final int FALLOC_FL_COLLAPSE_RANGE = 0x08;

  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int open(String path, int flags);

    int close(int fd);

    int fallocate(int fd, int mode, long offset, long len);

    int ftruncate(int fd, long length);

    String strerror(int errnum);
  }

  private final long maxSize;
  private final int maxFiles;
  private volatile boolean warnedFallback;
  /** Of the file system of the first file seen: sandboxes all live in one work dir. */
  private volatile long blockSize;

  /**
   * @param maxSize rotate a file once it is larger than this
   * @param maxFiles how many files one stream may have, the live one included (1: the head is
   *     dropped without a copy)
   */
  public LogRotator(long maxSize, int maxFiles) {
    if (maxSize <= 0 || maxFiles < 1) {
      throw new IllegalArgumentException("log rotation needs a positive size and at least 1 file");
    }
    this.maxSize = maxSize;
    this.maxFiles = maxFiles;
  }

  /** Rotates {@code stdout} and {@code stderr} of {@code sandbox} if they are over the cap. */
  public void check(Path sandbox) {
    for (String name : new String[] {"stdout", "stderr"}) {
      Path file = sandbox.resolve(name);
      try {
        rotateIfNeeded(file);
      } catch (NoSuchFileException e) {
        // not created yet, or the sandbox went meanwhile
      } catch (IOException e) {
        LOG.warn("Cannot rotate {}: {}", file, e.getMessage());
      }
    }
  }

  /** Returns whether it rotated. */
  public boolean rotateIfNeeded(Path file) throws IOException {
    long size = Files.size(file);
    if (size <= maxSize) {
      return false;
    }
    long block = blockSize(file);
    // collapse-range wants whole blocks and a range that ends before EOF.
    long cut = (size - 1) / block * block;
    if (cut == 0) {
      return false;
    }
    if (maxFiles > 1) {
      shift(file);
      copyHead(file, file.resolveSibling(file.getFileName() + ".1"), cut);
    }
    int fd = LibC.INSTANCE.open(file.toString(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      throw new IOException("open: " + LibC.INSTANCE.strerror(Native.getLastError()));
    }
    try {
      if (LibC.INSTANCE.fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, cut) != 0) {
        int errno = Native.getLastError();
        if (!warnedFallback) {
          warnedFallback = true;
          LOG.warn("{}: the file system cannot collapse a range ({}); rotating by copy and"
              + " truncate, which can lose what the task writes in between",
              file.getParent(), LibC.INSTANCE.strerror(errno));
        }
        copyTruncate(fd, file, cut, size);
      }
    } finally {
      LibC.INSTANCE.close(fd);
    }
    return true;
  }

  /** Whether the file system of {@code dir} can cut a file's head in place (lossless rotation). */
  public static boolean collapsesRanges(Path dir) throws IOException {
    Path probe = Files.createTempFile(dir, ".collapse-probe", "");
    try {
      long block = Math.max(1, Files.getFileStore(probe).getBlockSize());
      Files.write(probe, new byte[(int) (2 * block)]);
      int fd = LibC.INSTANCE.open(probe.toString(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) {
        return false;
      }
      try {
        return LibC.INSTANCE.fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, block) == 0;
      } finally {
        LibC.INSTANCE.close(fd);
      }
    } finally {
      Files.deleteIfExists(probe);
    }
  }

  private long blockSize(Path file) throws IOException {
    if (blockSize == 0) {
      // Looked up once: finding a file's store reads the mount table.
      blockSize = Math.max(1, Files.getFileStore(file).getBlockSize());
    }
    return blockSize;
  }

  /** {@code f.i} becomes {@code f.(i+1)}; what would pass {@code f.(maxFiles-1)} is dropped. */
  private void shift(Path file) throws IOException {
    String base = file.getFileName().toString();
    int highest = 0;
    while (Files.exists(file.resolveSibling(base + "." + (highest + 1)))) {
      highest++;
    }
    for (int i = highest; i >= 1; i--) {
      Path from = file.resolveSibling(base + "." + i);
      if (i + 1 > maxFiles - 1) {
        Files.delete(from);
      } else {
        Files.move(from, file.resolveSibling(base + "." + (i + 1)),
            StandardCopyOption.ATOMIC_MOVE);
      }
    }
  }

  private static void copyHead(Path file, Path to, long length) throws IOException {
    Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      long done = 0;
      while (done < length) {
        done += in.transferTo(done, length - done, out);
      }
      out.force(false);
    }
    Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The fallback: what follows the copied head is kept only if it was there at the copy. */
  private void copyTruncate(int fd, Path file, long cut, long size) throws IOException {
    if (maxFiles > 1) {
      // The head up to the cut is in .1 already; add the rest that was there when we looked.
      try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
          FileChannel out = FileChannel.open(file.resolveSibling(file.getFileName() + ".1"),
              StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        long done = cut;
        while (done < size) {
          done += in.transferTo(done, size - done, out);
        }
      }
    }
    if (LibC.INSTANCE.ftruncate(fd, 0) != 0) {
      throw new IOException("ftruncate: " + LibC.INSTANCE.strerror(Native.getLastError()));
    }
  }
}
