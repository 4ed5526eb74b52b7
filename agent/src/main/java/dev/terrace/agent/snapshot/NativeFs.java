package dev.terrace.agent.snapshot;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The file system calls layer unpacking needs and the JDK lacks or gets subtly wrong: mknod
 * (whiteouts, devices, FIFOs), lsetxattr (opaque directories), lchown and utimensat that never
 * follow a symlink, chmod with the setuid/setgid/sticky bits (which
 * {@code Files.setPosixFilePermissions} drops), and symlink with the target byte-for-byte (a
 * {@code Path} would normalise it).
 */
final class NativeFs {
  private NativeFs() {}

  static final int S_IFIFO = 0010000;
  static final int S_IFCHR = 0020000;
  static final int S_IFBLK = 0060000;
  private static final int AT_FDCWD = -100;
  private static final int AT_SYMLINK_NOFOLLOW = 0x100;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int mknod(String path, int mode, long dev);

    int lsetxattr(String path, String name, byte[] value, long size, int flags);

    int lchown(String path, int uid, int gid);

    int chmod(String path, int mode);

    int symlink(String target, String linkPath);

    int utimensat(int dirfd, String path, long[] times, int flags);

    int geteuid();

    String strerror(int errnum);
  }

  static boolean isRoot() {
    return LibC.INSTANCE.geteuid() == 0;
  }

  static void mknod(Path path, int mode, long dev) throws IOException {
    check(LibC.INSTANCE.mknod(path.toString(), mode, dev), "mknod", path);
  }

  /** glibc's makedev(3). */
  static long makedev(long major, long minor) {
    return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
        | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
  }

  static void lsetxattr(Path path, String name, byte[] value) throws IOException {
    check(LibC.INSTANCE.lsetxattr(path.toString(), name, value, value.length, 0),
        "lsetxattr " + name, path);
  }

  static void lsetxattr(Path path, String name, String value) throws IOException {
    lsetxattr(path, name, value.getBytes(StandardCharsets.UTF_8));
  }

  static void lchown(Path path, int uid, int gid) throws IOException {
    check(LibC.INSTANCE.lchown(path.toString(), uid, gid), "lchown", path);
  }

  static void chmod(Path path, int mode) throws IOException {
    check(LibC.INSTANCE.chmod(path.toString(), mode), "chmod", path);
  }

  static void symlink(String target, Path link) throws IOException {
    check(LibC.INSTANCE.symlink(target, link.toString()), "symlink", link);
  }

  /** Sets atime and mtime (seconds, nanoseconds) of {@code path}, never following a symlink. */
  static void lutimes(Path path, long seconds, long nanos) throws IOException {
    long[] times = {seconds, nanos, seconds, nanos};
    check(LibC.INSTANCE.utimensat(AT_FDCWD, path.toString(), times, AT_SYMLINK_NOFOLLOW),
        "utimensat", path);
  }

  private static void check(int rc, String call, Path path) throws IOException {
    if (rc != 0) {
      int errno = Native.getLastError();
      throw new IOException(call + " " + path + ": " + LibC.INSTANCE.strerror(errno));
    }
  }
}
