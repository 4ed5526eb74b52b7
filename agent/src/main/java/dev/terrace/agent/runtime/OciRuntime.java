package dev.terrace.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OCI runtime CLI (crun or runc; both take the same commands and flags for what is used here).
 * {@code run} and {@code create} are left to the {@link ContainerMonitor}, which must be the
 * container's parent (or subreaper) to hold its stdio and record its exit.
 */
public final class OciRuntime {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final Path binary;
  private final Path root;
  private final Duration timeout;
  private final CommandRunner runner;

  /**
   * @param name "crun" or "runc"
   * @param binary absolute path of the CLI
   * @param root the runtime's state directory ({@code --root}), or null for its default
   * @param timeout applied to every call
   */
  public OciRuntime(String name, Path binary, Path root, Duration timeout, CommandRunner runner) {
    this.name = name;
    this.binary = binary;
    this.root = root;
    this.timeout = timeout;
    this.runner = runner;
  }

  public String name() {
    return name;
  }

  public Path binary() {
    return binary;
  }

  /** Global options that must precede the subcommand, also handed to the monitor. */
  public List<String> globalArgs() {
    return root == null ? List.of() : List.of("--root", root.toString());
  }

  /** Starts the user process of a created container (after conmon's {@code create}). */
  public void start(String id) throws IOException {
    check(call("start", id));
  }

  /** Sends {@code signal} to the init process, or to every process in the container with all. */
  public CommandResult kill(String id, int signal, boolean all) throws IOException {
    return all ? call("kill", "--all", id, Integer.toString(signal))
        : call("kill", id, Integer.toString(signal));
  }

  /** Deletes the container's state (and with force kills it first); removes its leaf cgroup. */
  public CommandResult delete(String id, boolean force) throws IOException {
    return force ? call("delete", "--force", id) : call("delete", id);
  }

  /** The runtime's status ("created", "running", "stopped"), empty when it knows no such id. */
  public Optional<String> state(String id) throws IOException {
    CommandResult r = call("state", id);
    if (!r.ok()) {
      return Optional.empty();
    }
    JsonNode state = JSON.readTree(r.stdout());
    return Optional.ofNullable(state.path("status").textValue());
  }

  /**
   * Runs {@code argv} in the running container {@code id} without a terminal, with {@code env}
   * added to the container's environment, and returns its result. A run longer than
   * {@code timeout} throws after killing the process inside too: killing the runtime CLI alone
   * would leave it running in the container (neither crun nor runc forwards a SIGKILL), so its
   * host pid is taken from {@code --pid-file} and killed directly.
   */
  public CommandResult exec(String id, List<String> argv, Map<String, String> env,
      Duration timeout) throws IOException {
    Path pidFile = Files.createTempFile("terrace-exec", ".pid");
    try {
      List<String> command = execCommand(id, argv, env, pidFile);
      try {
        return runner.run(command, timeout);
      } catch (IOException e) {
        killExecProcess(pidFile);
        throw e;
      }
    } finally {
      Files.deleteIfExists(pidFile);
    }
  }

  /**
   * Starts {@code argv} in the running container {@code id} without a terminal and without
   * {@code --detach}, so the runtime CLI stays the parent-side end of the command's stdio: its
   * stdin, stdout and stderr are the returned process' pipes and its exit code is the command's.
   * The host pid of the process inside is written to {@code pidFile}; see {@link #killExec}.
   */
  public Process startExec(String id, List<String> argv, Map<String, String> env, Path pidFile)
      throws IOException {
    return new ProcessBuilder(execCommand(id, argv, env, pidFile)).start();
  }

  /**
   * Starts {@code argv} in the running container {@code id} on a terminal of {@code rows} x
   * {@code cols} (see {@link TerminalExec}); the host pid of the process inside goes to
   * {@code pidFile}.
   */
  public TerminalExec.Running startExecOnTerminal(String id, List<String> argv,
      Map<String, String> env, Path pidFile, int rows, int cols) throws IOException {
    return new TerminalExec(this).start(id, argv, env, pidFile, rows, cols);
  }

  /** {@code <runtime> [global args] exec --pid-file F [--env K=V]... id argv...}. */
  private List<String> execCommand(String id, List<String> argv, Map<String, String> env, Path pidFile) {
    return execCommand(List.of(), id, argv, env, pidFile);
  }

  /** As above with {@code options} (such as {@code --tty}) right after {@code exec}. */
  List<String> execCommand(List<String> options, String id, List<String> argv,
      Map<String, String> env, Path pidFile) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(globalArgs());
    command.add("exec");
    command.addAll(options);
    command.add("--pid-file");
    command.add(pidFile.toString());
    env.forEach((k, v) -> {
      command.add("--env");
      command.add(k + "=" + v);
    });
    command.add(id);
    command.addAll(argv);
    return command;
  }

  /**
   * Kills the process inside the container that an exec started with {@code pidFile}: killing the
   * runtime CLI alone would leave it running (neither crun nor runc forwards SIGKILL).
   */
  public static void killExec(Path pidFile) {
    killExecProcess(pidFile);
  }

  private static void killExecProcess(Path pidFile) {
    try {
      String pid = Files.readString(pidFile).trim();
      if (!pid.isEmpty()) {
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (IOException | NumberFormatException ignored) {
      // not started, or the pid file is not written yet: nothing inside to kill
    }
  }

  /** {@code run} in the foreground, for the start-up self-test only. */
  public CommandResult run(String id, Path bundle) throws IOException {
    return call("run", "--bundle", bundle.toString(), id);
  }

  private CommandResult call(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(globalArgs());
    command.addAll(List.of(args));
    return runner.run(command, timeout);
  }

  private static void check(CommandResult r) throws IOException {
    if (!r.ok()) {
      throw new IOException(r.describe());
    }
  }

  @Override
  public String toString() {
    return name + " (" + binary + ")";
  }
}
