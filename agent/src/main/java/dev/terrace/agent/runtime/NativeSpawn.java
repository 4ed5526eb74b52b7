package dev.terrace.agent.runtime;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * posix_spawn(3) through JNA, for the one process that needs more than ProcessBuilder offers:
 * the container monitor (terrace-monitor or conmon) reports on a sync pipe at file descriptor 3,
 * and the JDK closes every descriptor above 2 in its children. The child gets stdin, stdout and
 * stderr opened from paths, one pipe as fd 3, every other descriptor of the JVM closed (so the
 * monitor and the container never inherit the agent's sockets), default signal dispositions, an
 * empty signal mask and a session of its own (so a Ctrl-C or hang-up aimed at the agent never
 * reaches containers).
 */
final class NativeSpawn {
  private NativeSpawn() {}

  private static final int O_RDONLY = 0;
  private static final int O_WRONLY = 1;
  private static final int O_RDWR = 2;
  private static final int O_CREAT = 0100;
  private static final int O_APPEND = 02000;
  private static final int O_CLOEXEC = 02000000;
  private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  private static final short POSIX_SPAWN_SETSID = 0x80;
  private static final short POLLIN = 0x1;
  private static final int EINTR = 4;

  interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int pipe2(int[] fds, int flags);

    int close(int fd);

    long read(int fd, byte[] buf, long count);

    int poll(Pointer fds, long nfds, int timeoutMillis);

    int waitpid(int pid, IntByReference status, int options);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawn_file_actions_addopen(
        Pointer actions, int fd, String path, int oflag, int mode);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawn_file_actions_addchdir_np(Pointer actions, String path);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer set);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);

    int posix_spawn(IntByReference pid, String path, Pointer actions, Pointer attr,
        String[] argv, String[] envp);

    String strerror(int errnum);
  }

  /** A pipe whose write end the child gets as fd 3; the caller reads and closes the read end. */
  record Spawned(int pid, int readFd) {}

  /**
   * Spawns {@code argv} (argv[0] an absolute path) in {@code cwd} with fd 0 from {@code stdin},
   * fds 1 and 2 appended to {@code stdout} and {@code stderr}, and a pipe as fd 3.
   */
  static Spawned spawnWithPipe3(List<String> argv, Map<String, String> env, String cwd,
      String stdin, String stdout, String stderr) throws IOException {
    LibC c = LibC.INSTANCE;
    int[] pipe = new int[2];
    if (c.pipe2(pipe, O_CLOEXEC) != 0) {
      throw new IOException("pipe2: " + c.strerror(Native.getLastError()));
    }
    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336, sigset_t 128:
    // generous buffers keep this independent of the exact sizes.
    Memory actions = new Memory(512);
    Memory attr = new Memory(1024);
    c.posix_spawn_file_actions_init(actions);
    c.posix_spawnattr_init(attr);
    try {
      check(c.posix_spawn_file_actions_addopen(actions, 0, stdin, O_RDONLY, 0), "addopen 0");
      check(c.posix_spawn_file_actions_addopen(
          actions, 1, stdout, O_WRONLY | O_CREAT | O_APPEND, 0644), "addopen 1");
      check(c.posix_spawn_file_actions_addopen(
          actions, 2, stderr, O_WRONLY | O_CREAT | O_APPEND, 0644), "addopen 2");
      // dup2 onto 3 clears close-on-exec on the copy; the original (and every other JVM
      // descriptor) is closed just below.
      check(c.posix_spawn_file_actions_adddup2(actions, pipe[1], 3), "adddup2");
      check(c.posix_spawn_file_actions_addclosefrom_np(actions, 4), "addclosefrom");
      // Not the JVM's working directory: conmon writes files relative to its own (an "oom"
      // marker after an OOM kill), which must land in the container's directory.
      check(c.posix_spawn_file_actions_addchdir_np(actions, cwd), "addchdir");
      return new Spawned(spawn(c, argv, env, actions, attr), pipe[0]);
    } catch (IOException | RuntimeException e) {
      c.close(pipe[0]);
      throw e;
    } finally {
      c.close(pipe[1]);
      c.posix_spawn_file_actions_destroy(actions);
      c.posix_spawnattr_destroy(attr);
    }
  }

  /**
   * Spawns {@code argv} (argv[0] an absolute path) in a session of its own whose controlling
   * terminal is {@code terminal} (a pty slave path), opened as its stdin, stdout and stderr: the
   * process then sees a real terminal, gets SIGWINCH when the terminal is resized, and every other
   * descriptor of the JVM is closed in it. Returns its pid; reap it with {@link #waitFor}.
   */
  static int spawnOnTerminal(List<String> argv, Map<String, String> env, String terminal)
      throws IOException {
    LibC c = LibC.INSTANCE;
    Memory actions = new Memory(512);
    Memory attr = new Memory(1024);
    c.posix_spawn_file_actions_init(actions);
    c.posix_spawnattr_init(attr);
    try {
      // After setsid (glibc applies the attributes before the file actions), the first open of a
      // terminal by the session leader makes it the controlling terminal.
      for (int fd = 0; fd <= 2; fd++) {
        check(c.posix_spawn_file_actions_addopen(actions, fd, terminal, O_RDWR, 0), "addopen " + fd);
      }
      check(c.posix_spawn_file_actions_addclosefrom_np(actions, 3), "addclosefrom");
      return spawn(c, argv, env, actions, attr);
    } finally {
      c.posix_spawn_file_actions_destroy(actions);
      c.posix_spawnattr_destroy(attr);
    }
  }

  /** posix_spawn with default signal dispositions, an empty mask and a new session. */
  private static int spawn(LibC c, List<String> argv, Map<String, String> env, Memory actions,
      Memory attr) throws IOException {
    Memory all = new Memory(256);
    Memory none = new Memory(256);
    c.sigfillset(all);
    c.sigemptyset(none);
    check(c.posix_spawnattr_setsigdefault(attr, all), "setsigdefault");
    check(c.posix_spawnattr_setsigmask(attr, none), "setsigmask");
    check(c.posix_spawnattr_setflags(attr,
        (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSID)),
        "setflags");
    String[] envp = env.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    IntByReference pid = new IntByReference();
    int rc = c.posix_spawn(pid, argv.get(0), actions, attr, argv.toArray(String[]::new), envp);
    if (rc != 0) {
      throw new IOException("spawn " + argv.get(0) + ": " + c.strerror(rc));
    }
    return pid.getValue();
  }

  /** Reaps {@code pid} (blocking) and returns its wait status. */
  static int waitFor(int pid) throws IOException {
    IntByReference status = new IntByReference();
    while (true) {
      if (LibC.INSTANCE.waitpid(pid, status, 0) == pid) {
        return status.getValue();
      }
      int errno = Native.getLastError();
      if (errno != EINTR) {
        throw new IOException("waitpid " + pid + ": " + LibC.INSTANCE.strerror(errno));
      }
    }
  }

  /**
   * Reads from {@code fd} until a newline, end of file or the deadline; returns what was read
   * (possibly empty).
   */
  static String readLine(int fd, long timeoutMillis) throws IOException {
    LibC c = LibC.INSTANCE;
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    StringBuilder line = new StringBuilder();
    byte[] buf = new byte[4096];
    Memory pollfd = new Memory(8);
    while (line.indexOf("\n") < 0) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        break;
      }
      pollfd.setInt(0, fd);
      pollfd.setShort(4, POLLIN);
      pollfd.setShort(6, (short) 0);
      int ready = c.poll(pollfd, 1, (int) Math.min(left, Integer.MAX_VALUE));
      if (ready < 0) {
        if (Native.getLastError() == EINTR) {
          continue;
        }
        throw new IOException("poll: " + c.strerror(Native.getLastError()));
      }
      if (ready == 0) {
        continue; // the loop condition sees the deadline
      }
      long n = c.read(fd, buf, buf.length);
      if (n <= 0) {
        break; // end of file: the writer closed without a full line, or an error
      }
      line.append(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
    }
    return line.toString();
  }

  static void close(int fd) {
    LibC.INSTANCE.close(fd);
  }

  private static void check(int rc, String what) throws IOException {
    if (rc != 0) {
      throw new IOException("posix_spawn " + what + ": " + LibC.INSTANCE.strerror(rc));
    }
  }
}
