package dev.terrace.agent.terminal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The listening end of an OCI runtime's {@code --console-socket}: a unix socket on which the
 * runtime connects once and sends the master of the terminal it made for the container process,
 * as SCM_RIGHTS ancillary data (the JDK's unix sockets cannot receive descriptors, hence JNA).
 * The socket lives in a directory of its own, readable by root only, removed on {@link #close}.
 */
public final class ConsoleSocket implements AutoCloseable {
  private static final int SUN_PATH_MAX = 108;
  private static final int POLL_SLICE_MILLIS = 100;

  private final Path dir;
  private final Path path;
  private final int fd;

  private ConsoleSocket(Path dir, Path path, int fd) {
    this.dir = dir;
    this.path = path;
    this.fd = fd;
  }

  /** Binds and listens on a new socket in a fresh private directory under {@code parent}. */
  public static ConsoleSocket listen(Path parent) throws IOException {
    requireLp64();
    Path dir = Files.createTempDirectory(parent, "console"); // mode 0700
    Path path = dir.resolve("s");
    byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
    if (name.length >= SUN_PATH_MAX) {
      Files.deleteIfExists(dir);
      throw new IOException("console socket path too long: " + path);
    }
    TerminalLib c = TerminalLib.C;
    int fd = c.socket(TerminalLib.AF_UNIX, TerminalLib.SOCK_STREAM | TerminalLib.SOCK_CLOEXEC, 0);
    if (fd < 0) {
      Files.deleteIfExists(dir);
      throw new IOException(TerminalLib.error("socket"));
    }
    ConsoleSocket socket = new ConsoleSocket(dir, path, fd);
    try (Memory addr = new Memory(2 + SUN_PATH_MAX)) {
      addr.clear();
      addr.setShort(0, (short) TerminalLib.AF_UNIX);
      addr.write(2, name, 0, name.length);
      if (c.bind(fd, addr, 2 + name.length + 1) != 0 || c.listen(fd, 1) != 0) {
        throw new IOException(TerminalLib.error("bind/listen " + path));
      }
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /**
   * Waits for the runtime to connect and send its terminal; gives up when {@code gaveUp} turns
   * true (the runtime exited first) or after {@code timeout}. The caller owns the returned master.
   */
  public Pty receive(Duration timeout, BooleanSupplier gaveUp) throws IOException {
    TerminalLib c = TerminalLib.C;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!TerminalLib.readable(fd, POLL_SLICE_MILLIS)) {
      if (gaveUp.getAsBoolean()) {
        throw new IOException("the runtime ended without sending its terminal");
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("the runtime sent no terminal within " + timeout.toSeconds() + " s");
      }
    }
    int conn = c.accept4(fd, null, null, TerminalLib.SOCK_CLOEXEC);
    if (conn < 0) {
      throw new IOException(TerminalLib.error("accept4"));
    }
    try {
      if (!TerminalLib.readable(conn, (int) Math.max(1, timeout.toMillis()))) {
        throw new IOException("the runtime connected but sent no terminal");
      }
      return Pty.adopt(receiveFd(conn));
    } finally {
      c.close(conn);
    }
  }

  /** recvmsg with room for one descriptor (x86-64 and aarch64 struct layouts). */
  private static int receiveFd(int conn) throws IOException {
    try (Memory data = new Memory(256); Memory iov = new Memory(16); Memory control = new Memory(64);
        Memory msg = new Memory(56)) {
      iov.setPointer(0, data);
      iov.setLong(8, data.size());
      control.clear();
      msg.clear();
      msg.setPointer(16, iov); // msg_iov (after msg_name and msg_namelen with its padding)
      msg.setLong(24, 1); // msg_iovlen
      msg.setPointer(32, control); // msg_control
      msg.setLong(40, control.size()); // msg_controllen
      long n;
      do {
        n = TerminalLib.C.recvmsg(conn, msg, TerminalLib.MSG_CMSG_CLOEXEC);
      } while (n < 0 && Native.getLastError() == TerminalLib.EINTR);
      if (n < 0) {
        throw new IOException(TerminalLib.error("recvmsg"));
      }
      long controlLen = msg.getLong(40);
      // struct cmsghdr: size_t cmsg_len, int cmsg_level, int cmsg_type, then the descriptors.
      if (controlLen < 20 || control.getInt(8) != TerminalLib.SOL_SOCKET
          || control.getInt(12) != TerminalLib.SCM_RIGHTS) {
        throw new IOException("the runtime sent no terminal descriptor");
      }
      int count = (int) ((control.getLong(0) - 16) / 4);
      int master = control.getInt(16);
      for (int i = 1; i < count; i++) {
        TerminalLib.C.close(control.getInt(16 + 4L * i)); // only one was asked for
      }
      return master;
    }
  }

  private static void requireLp64() throws IOException {
    if (Native.POINTER_SIZE != 8 || Native.SIZE_T_SIZE != 8) {
      throw new IOException("console sockets are only supported on 64-bit Linux");
    }
  }

  @Override
  public void close() {
    TerminalLib.C.close(fd);
    try {
      Files.deleteIfExists(path);
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a stale socket file in the agent's scratch directory; harmless
    }
  }
}
