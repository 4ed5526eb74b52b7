package dev.terrace.agent.containerizer;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The agent process's own limits, which bound what a container may be given. */
final class HostLimits {
  private HostLimits() {}

  private static final int RLIMIT_NOFILE = 7;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int getrlimit(int resource, long[] rlim);
  }

  /**
   * The hard RLIMIT_NOFILE of this process: without CAP_SYS_RESOURCE a container cannot be given
   * more, and the runtime fails the create if asked to.
   */
  static long nofileHard() {
    long[] rlim = new long[2];
    if (LibC.INSTANCE.getrlimit(RLIMIT_NOFILE, rlim) != 0) {
      return 1024;
    }
    return rlim[1] < 0 ? 1L << 20 : rlim[1];
  }
}
