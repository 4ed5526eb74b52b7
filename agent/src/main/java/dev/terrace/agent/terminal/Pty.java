package dev.terrace.agent.terminal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The master side of a pseudo-terminal held by the agent: what the program on the terminal writes
 * is read here, what is written here is its keyboard, and its window size is set here.
 *
 * <p>Reads wait with {@code poll} in short slices, so {@link #close} never waits behind a read
 * that a silent program would block for ever, and a closed descriptor number (which the kernel may
 * hand out again at once) is never read or written: every use holds the read side of a lock whose
 * write side {@link #close} takes.
 */
public final class Pty implements AutoCloseable {
  private static final int POLL_SLICE_MILLIS = 200;
  private static final short POLLOUT = 0x4;
  private static final int EIO = 5;

  private final int master;
  private final String slavePath;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;
  /** The agent's own slave descriptor until {@link #releaseSlave}, or -1. */
  private int slave = -1;

  private Pty(int master, String slavePath) {
    this.master = master;
    this.slavePath = slavePath;
  }

  /**
   * Opens a new pseudo-terminal of {@code rows} x {@code cols} whose slave side is raw (no echo,
   * no line editing, no CR/LF translation): it only carries bytes between the agent and a program
   * that itself drives a terminal, such as an OCI runtime relaying a container's terminal.
   *
   * <p>The agent keeps the slave open until {@link #releaseSlave}: a master whose slave is open
   * nowhere reads as ended, which it must not until the program has the slave open itself.
   */
  public static Pty open(int rows, int cols) throws IOException {
    TerminalLib c = TerminalLib.C;
    int fd = c.posix_openpt(TerminalLib.O_RDWR | TerminalLib.O_NOCTTY | TerminalLib.O_CLOEXEC);
    if (fd < 0) {
      throw new IOException(TerminalLib.error("posix_openpt"));
    }
    String slavePath;
    try {
      byte[] name = new byte[128];
      if (c.grantpt(fd) != 0 || c.unlockpt(fd) != 0 || c.ptsname_r(fd, name, name.length) != 0) {
        throw new IOException(TerminalLib.error("grantpt/unlockpt/ptsname"));
      }
      int len = 0;
      while (len < name.length && name[len] != 0) {
        len++;
      }
      slavePath = new String(name, 0, len, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      c.close(fd);
      throw e;
    }
    Pty pty = new Pty(fd, slavePath);
    try {
      pty.makeSlaveRaw();
      pty.resize(rows, cols);
      return pty;
    } catch (IOException | RuntimeException e) {
      pty.close();
      throw e;
    }
  }

  /** Takes ownership of a master descriptor received from elsewhere (an OCI console socket). */
  public static Pty adopt(int masterFd) {
    return new Pty(masterFd, null);
  }

  /** The slave's path ({@code /dev/pts/N}) of a terminal this agent opened; null for an adopted one. */
  public String slavePath() {
    return slavePath;
  }

  /** Closes the agent's slave descriptor once the program on the terminal has opened its own. */
  public void releaseSlave() {
    lock.writeLock().lock();
    try {
      if (slave >= 0) {
        TerminalLib.C.close(slave);
        slave = -1;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void makeSlaveRaw() throws IOException {
    TerminalLib c = TerminalLib.C;
    slave = c.open(slavePath, TerminalLib.O_RDWR | TerminalLib.O_NOCTTY | TerminalLib.O_CLOEXEC);
    if (slave < 0) {
      throw new IOException(TerminalLib.error("open " + slavePath));
    }
    try (Memory termios = new Memory(256)) {
      if (c.tcgetattr(slave, termios) != 0) {
        throw new IOException(TerminalLib.error("tcgetattr"));
      }
      c.cfmakeraw(termios);
      if (c.tcsetattr(slave, TerminalLib.TCSANOW, termios) != 0) {
        throw new IOException(TerminalLib.error("tcsetattr"));
      }
    }
  }

  /** Sets the window size; the kernel sends SIGWINCH to the terminal's foreground programs. */
  public void resize(int rows, int cols) throws IOException {
    if (rows <= 0 || cols <= 0 || rows > 0xffff || cols > 0xffff) {
      throw new IllegalArgumentException("a window size needs 1..65535 rows and columns, not "
          + rows + "x" + cols);
    }
    lock.readLock().lock();
    try (Memory winsize = new Memory(8)) {
      if (closed) {
        return;
      }
      winsize.clear();
      winsize.setShort(0, (short) rows);
      winsize.setShort(2, (short) cols);
      if (TerminalLib.C.ioctl(master, TerminalLib.TIOCSWINSZ, winsize) != 0) {
        throw new IOException(TerminalLib.error("ioctl TIOCSWINSZ"));
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The terminal's output; ends when every holder of the slave side has closed it. */
  public InputStream input() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        byte[] buf = off == 0 ? b : new byte[len];
        while (true) {
          lock.readLock().lock();
          try {
            if (closed) {
              return -1;
            }
            if (!TerminalLib.readable(master, POLL_SLICE_MILLIS)) {
              continue;
            }
            long n = TerminalLib.C.read(master, buf, len);
            if (n > 0) {
              if (buf != b) {
                System.arraycopy(buf, 0, b, off, (int) n);
              }
              return (int) n;
            }
            int errno = n < 0 ? Native.getLastError() : 0;
            if (errno == TerminalLib.EINTR || errno == TerminalLib.EAGAIN) {
              continue;
            }
            // EIO is how a master sees the last slave descriptor closed: the end of the output.
            if (n == 0 || errno == EIO) {
              return -1;
            }
            throw new IOException("read from the terminal: " + TerminalLib.C.strerror(errno));
          } finally {
            lock.readLock().unlock();
          }
        }
      }
    };
  }

  /** The terminal's keyboard. */
  public OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        byte[] rest = off == 0 && len == b.length ? b : java.util.Arrays.copyOfRange(b, off, off + len);
        while (rest.length > 0) {
          lock.readLock().lock();
          try {
            if (closed) {
              throw new IOException("the terminal is closed");
            }
            long n = TerminalLib.C.write(master, rest, rest.length);
            if (n < 0) {
              int errno = Native.getLastError();
              if (errno == TerminalLib.EAGAIN) {
                waitWritable();
                continue;
              }
              if (errno != TerminalLib.EINTR) {
                throw new IOException("write to the terminal: " + TerminalLib.C.strerror(errno));
              }
              continue;
            }
            rest = java.util.Arrays.copyOfRange(rest, (int) n, rest.length);
          } finally {
            lock.readLock().unlock();
          }
        }
      }
    };
  }

  private void waitWritable() {
    try (Memory pollfd = new Memory(8)) {
      pollfd.setInt(0, master);
      pollfd.setShort(4, POLLOUT);
      pollfd.setShort(6, (short) 0);
      TerminalLib.C.poll(pollfd, 1, POLL_SLICE_MILLIS);
    }
  }

  /** Closes the master (the program on the terminal gets a hang-up); idempotent. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        TerminalLib.C.close(master);
        if (slave >= 0) {
          TerminalLib.C.close(slave);
          slave = -1;
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
