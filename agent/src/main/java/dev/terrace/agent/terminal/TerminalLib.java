package dev.terrace.agent.terminal;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The libc calls for pseudo-terminals and descriptor passing that the JDK lacks (Linux, 64-bit):
 * posix_openpt and friends, the window-size ioctl, termios, plain read/write/poll on a descriptor,
 * and an AF_UNIX socket that receives a descriptor with SCM_RIGHTS.
 */
interface TerminalLib extends Library {
  TerminalLib C = Native.load("c", TerminalLib.class);

  int O_RDWR = 02;
  int O_NOCTTY = 0400;
  int O_CLOEXEC = 02000000;
  int O_NONBLOCK = 04000;
  long TIOCSWINSZ = 0x5414;
  long TIOCGWINSZ = 0x5413;
  int TCSANOW = 0;
  int AF_UNIX = 1;
  int SOCK_STREAM = 1;
  int SOCK_CLOEXEC = 02000000;
  int SOL_SOCKET = 1;
  int SCM_RIGHTS = 1;
  int MSG_CMSG_CLOEXEC = 0x40000000;
  short POLLIN = 0x1;
  int EINTR = 4;
  int EAGAIN = 11;

  int posix_openpt(int flags);

  int grantpt(int fd);

  int unlockpt(int fd);

  int ptsname_r(int fd, byte[] buf, long len);

  int open(String path, int flags);

  int ioctl(int fd, long request, Pointer arg);

  int tcgetattr(int fd, Pointer termios);

  void cfmakeraw(Pointer termios);

  int tcsetattr(int fd, int when, Pointer termios);

  long read(int fd, byte[] buf, long count);

  long write(int fd, byte[] buf, long count);

  int poll(Pointer fds, long nfds, int timeoutMillis);

  int close(int fd);

  int socket(int domain, int type, int protocol);

  int bind(int fd, Pointer addr, int len);

  int listen(int fd, int backlog);

  int accept4(int fd, Pointer addr, Pointer len, int flags);

  long recvmsg(int fd, Pointer msghdr, int flags);

  String strerror(int errnum);

  /** The text of the last error of the calling thread, with the call's name. */
  static String error(String call) {
    return call + ": " + C.strerror(Native.getLastError());
  }

  /** Waits up to {@code timeoutMillis} for {@code fd} to be readable; true when it is. */
  static boolean readable(int fd, int timeoutMillis) throws java.io.IOException {
    try (com.sun.jna.Memory pollfd = new com.sun.jna.Memory(8)) {
      pollfd.setInt(0, fd);
      pollfd.setShort(4, POLLIN);
      pollfd.setShort(6, (short) 0);
      int ready = C.poll(pollfd, 1, timeoutMillis);
      if (ready < 0) {
        if (Native.getLastError() == EINTR) {
          return false;
        }
        throw new java.io.IOException(error("poll"));
      }
      return ready > 0;
    }
  }
}
