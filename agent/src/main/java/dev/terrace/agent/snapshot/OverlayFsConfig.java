package dev.terrace.agent.snapshot;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * An overlay mounted through the new mount API (fsopen, fsconfig, fsmount, move_mount) with one
 * {@code lowerdir+} call per layer (Linux 6.8+): no page of options to fit the whole stack in,
 * so an image may have as many layers as overlayfs stacks (500). The syscall numbers are the same
 * on every architecture (they were added after the tables were unified).
 */
final class OverlayFsConfig {
  private static final long SYS_MOVE_MOUNT = 429;
  private static final long SYS_FSOPEN = 430;
  private static final long SYS_FSCONFIG = 431;
  private static final long SYS_FSMOUNT = 432;
  private static final int FSOPEN_CLOEXEC = 1;
  private static final int FSMOUNT_CLOEXEC = 1;
  private static final int FSCONFIG_SET_FLAG = 0;
  private static final int FSCONFIG_SET_STRING = 1;
  private static final int FSCONFIG_CMD_CREATE = 6;
  private static final int MOVE_MOUNT_F_EMPTY_PATH = 4;
  private static final int AT_FDCWD = -100;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    long syscall(long number, Object... args);

    int close(int fd);

    String strerror(int errnum);
  }

  private OverlayFsConfig() {}

  /**
   * Mounts an overlay of {@code lowersTopFirst} with {@code upper} and {@code work} at
   * {@code target}.
   *
   * @throws IOException saying which step the kernel refused (a kernel before 6.8 refuses
   *     {@code lowerdir+}: EINVAL)
   */
  static void mount(List<Path> lowersTopFirst, Path upper, Path work, boolean volatileUpper,
      Path target) throws IOException {
    LibC c = LibC.INSTANCE;
    int fs = (int) check(c.syscall(SYS_FSOPEN, "overlay", FSOPEN_CLOEXEC), "fsopen overlay");
    try {
      for (Path lower : lowersTopFirst) {
        set(fs, "lowerdir+", lower.toString());
      }
      set(fs, "upperdir", upper.toString());
      set(fs, "workdir", work.toString());
      if (volatileUpper) {
        check(c.syscall(SYS_FSCONFIG, fs, FSCONFIG_SET_FLAG, "volatile", null, 0),
            "fsconfig volatile");
      }
      check(c.syscall(SYS_FSCONFIG, fs, FSCONFIG_CMD_CREATE, null, null, 0),
          "fsconfig create (" + lowersTopFirst.size() + " layers)");
      int mnt = (int) check(c.syscall(SYS_FSMOUNT, fs, FSMOUNT_CLOEXEC, 0), "fsmount");
      try {
        check(c.syscall(SYS_MOVE_MOUNT, mnt, "", AT_FDCWD, target.toString(),
            MOVE_MOUNT_F_EMPTY_PATH), "move_mount to " + target);
      } finally {
        c.close(mnt);
      }
    } finally {
      c.close(fs);
    }
  }

  private static void set(int fs, String key, String value) throws IOException {
    check(LibC.INSTANCE.syscall(SYS_FSCONFIG, fs, FSCONFIG_SET_STRING, key, value, 0),
        "fsconfig " + key + "=" + value);
  }

  private static long check(long rc, String what) throws IOException {
    if (rc < 0) {
      throw new IOException(what + ": " + LibC.INSTANCE.strerror(Native.getLastError()));
    }
    return rc;
  }
}
