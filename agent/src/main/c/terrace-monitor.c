/*
 * terrace-monitor: the per-container monitor of the Terrace agent (what conmon is to podman).
 *
 *   terrace-monitor -r RUNTIME [-a RUNTIME_GLOBAL_ARG]... -b BUNDLE -i ID
 *                   -p CONTAINER_PID_FILE -m MONITOR_PID_FILE -e EXIT_FILE
 *
 * Started by the agent with stdin, stdout and stderr already opened on the container's files and
 * the write end of a sync pipe as fd 3. It forks once: the first process exits at once (the agent
 * reaps it), the second one, the monitor, lives in the session the agent's spawn gave it and is
 * reparented to init (or the nearest subreaper) when the agent dies, so the container outlives
 * the agent. The monitor
 *   1. makes itself a child subreaper and writes its pid to MONITOR_PID_FILE (tmp + rename);
 *   2. runs `RUNTIME [args] run --detach --bundle BUNDLE --pid-file CONTAINER_PID_FILE ID` as its
 *      child, in one step (no separate create and start); the runtime exits once the container's
 *      process runs, and that process, orphaned, is reparented to the monitor;
 *   3. writes "<container pid>\n" on fd 3 (or "-1 <reason>\n" when the runtime failed) and closes
 *      it;
 *   4. waits for the container's process, reaping anything else reparented to it, and writes its
 *      status (the exit code, or 128 + signal) to EXIT_FILE atomically (tmp + rename), then exits.
 * The container writes straight into the inherited stdout and stderr (no copying process), so the
 * agent's log rotation works as it did under conmon's passthrough mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define SYNC_FD 3
#define MAX_RUNTIME_ARGS 16

static int sync_fd = SYNC_FD;

static void report(const char *fmt, ...) {
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) {
    return;
  }
  if (n > (int) sizeof line - 2) {
    n = sizeof line - 2;
  }
  line[n++] = '\n';
  if (sync_fd >= 0) {
    ssize_t w;
    do {
      w = write(sync_fd, line, n);
    } while (w < 0 && errno == EINTR);
    close(sync_fd);
    sync_fd = -1;
  }
}

/* Reports a failure on the sync pipe and on stderr (the container's stderr file), then exits. */
static void fail(const char *fmt, ...) {
  char why[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, sizeof why, fmt, ap);
  va_end(ap);
  fprintf(stderr, "terrace-monitor: %s\n", why);
  report("-1 %s", why);
  _exit(1);
}

/* Writes `text` to `path` atomically: a reader sees the old file, no file, or all of `text`. The
 * temporary file is hidden (".NAME.tmp" beside it), so that the agent, which takes every other
 * name in the exit directory for a container's id, never mistakes it for one. */
static int write_atomically(const char *path, const char *text) {
  char tmp[PATH_MAX];
  const char *slash = strrchr(path, '/');
  int dir_len = slash ? (int) (slash - path + 1) : 0;
  if (snprintf(tmp, sizeof tmp, "%.*s.%s.tmp", dir_len, path, path + dir_len)
      >= (int) sizeof tmp) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return -1;
  }
  size_t len = strlen(text), off = 0;
  while (off < len) {
    ssize_t w = write(fd, text + off, len - off);
    if (w < 0) {
      if (errno == EINTR) {
        continue;
      }
      close(fd);
      unlink(tmp);
      return -1;
    }
    off += (size_t) w;
  }
  /* No fsync: readers need atomicity, not durability (after a power loss the container is gone
   * anyway), and a sync on a busy disk would delay every exit by milliseconds. */
  if (close(fd) != 0) {
    unlink(tmp);
    return -1;
  }
  return rename(tmp, path);
}

static int read_pid(const char *path) {
  char buf[32];
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) {
    return -1;
  }
  buf[n] = '\0';
  long pid = strtol(buf, NULL, 10);
  return pid > 0 && pid <= INT_MAX ? (int) pid : -1;
}

static int status_code(int status) {
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  if (WIFSIGNALED(status)) {
    return 128 + WTERMSIG(status);
  }
  return 255;
}

int main(int argc, char **argv) {
  const char *runtime = NULL, *bundle = NULL, *id = NULL;
  const char *pid_file = NULL, *monitor_pid_file = NULL, *exit_file = NULL;
  const char *runtime_args[MAX_RUNTIME_ARGS];
  int nargs = 0, opt;
  while ((opt = getopt(argc, argv, "r:a:b:i:p:m:e:")) != -1) {
    switch (opt) {
      case 'r': runtime = optarg; break;
      case 'a':
        if (nargs == MAX_RUNTIME_ARGS) {
          fail("more than %d runtime arguments", MAX_RUNTIME_ARGS);
        }
        runtime_args[nargs++] = optarg;
        break;
      case 'b': bundle = optarg; break;
      case 'i': id = optarg; break;
      case 'p': pid_file = optarg; break;
      case 'm': monitor_pid_file = optarg; break;
      case 'e': exit_file = optarg; break;
      default: fail("usage: terrace-monitor -r RUNTIME [-a ARG]... -b BUNDLE -i ID -p PIDFILE"
                    " -m MONITOR_PIDFILE -e EXIT_FILE");
    }
  }
  if (!runtime || !bundle || !id || !pid_file || !monitor_pid_file || !exit_file) {
    fail("missing option: -r, -b, -i, -p, -m and -e are required");
  }
  if (fcntl(SYNC_FD, F_GETFD) < 0) {
    sync_fd = -1;
    fail("no sync pipe on fd %d", SYNC_FD);
  }
  fcntl(SYNC_FD, F_SETFD, FD_CLOEXEC); /* the runtime and the container must not hold it */

  /* Not a session leader already (the agent's spawn makes one): get a session of our own, so that
   * no hang-up or terminal signal aimed at the agent's session reaches the container. */
  if (getsid(0) != getpid()) {
    setsid();
  }
  pid_t first = fork();
  if (first < 0) {
    fail("fork: %s", strerror(errno));
  }
  if (first > 0) {
    _exit(0); /* the agent reaps this process; the monitor lives on without a parent to die with */
  }

  /* The container's process is the runtime's child; when the runtime exits it is reparented to
   * the nearest subreaper: this process. */
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
    fail("prctl(PR_SET_CHILD_SUBREAPER): %s", strerror(errno));
  }
  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  char self[32];
  snprintf(self, sizeof self, "%d", (int) getpid());
  if (write_atomically(monitor_pid_file, self) != 0) {
    fail("cannot write %s: %s", monitor_pid_file, strerror(errno));
  }

  const char *rargv[MAX_RUNTIME_ARGS + 10];
  int n = 0;
  rargv[n++] = runtime;
  for (int i = 0; i < nargs; i++) {
    rargv[n++] = runtime_args[i];
  }
  rargv[n++] = "run";
  rargv[n++] = "--detach";
  rargv[n++] = "--bundle";
  rargv[n++] = bundle;
  rargv[n++] = "--pid-file";
  rargv[n++] = pid_file;
  rargv[n++] = id;
  rargv[n] = NULL;
  pid_t rt = fork();
  if (rt < 0) {
    fail("fork: %s", strerror(errno));
  }
  if (rt == 0) {
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    execv(runtime, (char *const *) rargv);
    fprintf(stderr, "terrace-monitor: exec %s: %s\n", runtime, strerror(errno));
    _exit(127);
  }

  int status;
  pid_t got;
  do {
    got = waitpid(rt, &status, 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) {
    fail("waitpid %d: %s", (int) rt, strerror(errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    /* The runtime wrote why to its stderr, the container's stderr file; the agent reads it. */
    report("-1 %s run exited with status %d", runtime, status_code(status));
    _exit(1);
  }
  int container = read_pid(pid_file);
  if (container <= 0) {
    fail("%s run wrote no pid to %s", runtime, pid_file);
  }
  report("%d", container);

  /* Reap until the container's process is gone; anything else reparented here is reaped too. */
  for (;;) {
    got = waitpid(-1, &status, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      /* ECHILD: the container's process is no child of ours (it was reparented elsewhere, which a
       * subreaper prevents); record what can be known rather than block forever. */
      fprintf(stderr, "terrace-monitor: lost the container's process %d: %s\n", container,
          strerror(errno));
      status = 255 << 8;
      break;
    }
    if (got == container) {
      break;
    }
  }
  char code[16];
  snprintf(code, sizeof code, "%d", status_code(status));
  if (write_atomically(exit_file, code) != 0) {
    fprintf(stderr, "terrace-monitor: cannot write %s: %s\n", exit_file, strerror(errno));
    return 1;
  }
  return 0;
}
