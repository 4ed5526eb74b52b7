package dev.terrace.agent.rootfs;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;

/**
 * mount(2) and umount2(2) through JNA: the JDK has no binding, and shelling out to mount(8) would
 * depend on util-linux and parse its messages.
 */
public final class Mounts {
  private Mounts() {}

  /** umount2 flag: detach now, finish the unmount once the mount is no longer busy. */
  public static final int MNT_DETACH = 2;

  private static final int EINVAL = 22;
  private static final int ENOENT = 2;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int mount(String source, String target, String fstype, long flags, String data);

    int umount2(String target, int flags);

    String strerror(int errnum);
  }

  /** Mounts {@code source} of {@code fstype} at {@code target} with fs-specific {@code data}. */
  public static void mount(String source, Path target, String fstype, String data)
      throws IOException {
    int rc = LibC.INSTANCE.mount(source, target.toString(), fstype, 0, data);
    if (rc != 0) {
      int errno = Native.getLastError();
      throw new IOException(
          "mount -t " + fstype + " " + source + " " + target
              + (data != null ? " -o " + data : "") + ": " + LibC.INSTANCE.strerror(errno));
    }
  }

  /**
   * Lazily unmounts {@code target}; returns false when nothing was mounted there (so callers can
   * be idempotent), throws on any other error.
   */
  public static boolean unmountDetached(Path target) throws IOException {
    int rc = LibC.INSTANCE.umount2(target.toString(), MNT_DETACH);
    if (rc == 0) {
      return true;
    }
    int errno = Native.getLastError();
    if (errno == EINVAL || errno == ENOENT) {
      return false; // not a mount point (any more), or already gone
    }
    throw new IOException("umount " + target + ": " + LibC.INSTANCE.strerror(errno));
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
