package dev.terrace.testkit;

import dev.terrace.agent.containerizer.ContainerException;
import dev.terrace.agent.containerizer.ContainerExit;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.containerizer.ExecSession;
import dev.terrace.agent.containerizer.TerminalSize;
import dev.terrace.agent.containerizer.LaunchedContainer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in containerizer that runs the task as a plain child process of the JVM, in its sandbox,
 * without namespaces or cgroups. It keeps the contract (exit codes, signals, stdout/stderr files),
 * so the master and agent logic can be tested where real containers cannot run. The sandbox path
 * stands in for {@code /mnt/mesos/sandbox}.
 *
 * <p>Recovery: an abandoned agent ({@code AgentServer.abandon()}) leaves its child processes
 * running, as a crashed agent leaves its conmon-monitored containers; the JVM, which is the
 * processes' parent and so the only one that can learn their exit codes, stays. So the processes
 * of every instance are kept in one JVM-wide table, and a new instance on the same work dir (the
 * restarted agent) re-attaches to them with their real exit codes. A process the table does not
 * know (the JVM itself restarted) is reported gone, as the contract asks.
 */
public final class HostProcessContainerizer implements Containerizer {
  /** A process and its agent's work dir, which scopes orphan clean-up to that agent. */
  private record Child(Path owner, Process process, CompletableFuture<ContainerExit> exit,
      ContainerLaunch launch) {}

  private static final Map<String, Child> LIVE = new ConcurrentHashMap<>();

  /**
   * Kills the processes of every agent whose work dir is under {@code dir}. For a test cluster
   * that is going away with its work dir: an agent that stops keeps its tasks (as a real one
   * keeps its containers), and a plain child process would outlive the test JVM (CI runs left a
   * dozen {@code sleep 1000}s behind).
   */
  public static void killAllUnder(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    LIVE.entrySet().removeIf(e -> {
      if (!e.getValue().owner().startsWith(root)) {
        return false;
      }
      kill(e.getValue().process());
      return true;
    });
  }

  /** The process and everything it started (a shell's children too). */
  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  private final Path owner;

  /** @param workDir the agent's work dir; instances on the same one share their processes */
  public HostProcessContainerizer(Path workDir) {
    this.owner = workDir.toAbsolutePath().normalize();
  }

  @Override
  public LaunchedContainer launch(ContainerLaunch launch) throws ContainerException {
    ProcessBuilder pb = new ProcessBuilder(launch.argv())
        .directory(launch.sandbox().toFile())
        .redirectOutput(launch.sandbox().resolve("stdout").toFile())
        .redirectError(launch.sandbox().resolve("stderr").toFile());
    pb.environment().clear();
    pb.environment().putAll(launch.env());
    pb.environment().put("MESOS_SANDBOX", launch.sandbox().toString());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new ContainerException("cannot start " + launch.argv().get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<ContainerExit> exit = p.onExit().thenApply(done -> {
      int code = done.exitValue();
      int signal = code > 128 ? code - 128 : 0;
      String message = signal > 0 ? "Command terminated by signal " + signal
          : "Command exited with status " + code;
      return new ContainerExit(code, signal, false, message);
    });
    LIVE.put(launch.containerId(), new Child(owner, p, exit, launch));
    return new LaunchedContainer(launch.containerId(), (int) p.pid(), exit);
  }

  @Override
  public Optional<LaunchedContainer> recover(ContainerLaunch launch) {
    Child c = LIVE.get(launch.containerId());
    if (c == null || !c.owner().equals(owner)) {
      return Optional.empty();
    }
    return Optional.of(new LaunchedContainer(launch.containerId(), (int) c.process().pid(), c.exit()));
  }

  @Override
  public List<String> destroyOrphans(Set<String> known) {
    List<String> orphans = new ArrayList<>();
    LIVE.forEach((id, c) -> {
      if (c.owner().equals(owner) && !known.contains(id)) {
        orphans.add(id);
      }
    });
    orphans.forEach(this::destroy);
    return orphans;
  }

  @Override
  public void signal(String containerId, int signal) throws ContainerException {
    Child c = LIVE.get(containerId);
    if (c == null || !c.process().isAlive()) {
      return;
    }
    // Every process of the task, as the real containerizer signals all of a container's (a
    // shell's children too, which used to be left running after the shell was killed).
    List<String> kill = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(c.process().pid())));
    c.process().descendants().forEach(d -> kill.add(Long.toString(d.pid())));
    try {
      new ProcessBuilder(kill).start().waitFor();
    } catch (IOException e) {
      throw new ContainerException("kill failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs {@code argv} as another host process in the task's sandbox with the task's environment:
   * the closest a plain process comes to "inside the container".
   */
  @Override
  public int exec(String containerId, List<String> argv, Map<String, String> env, Duration timeout)
      throws ContainerException {
    Child c = LIVE.get(containerId);
    if (c == null || !c.process().isAlive()) {
      throw new ContainerException("no running container " + containerId);
    }
    ProcessBuilder pb = new ProcessBuilder(argv)
        .directory(c.launch().sandbox().toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    pb.environment().clear();
    pb.environment().putAll(c.launch().env());
    pb.environment().put("MESOS_SANDBOX", c.launch().sandbox().toString());
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new ContainerException("exec timed out after " + timeout.toMillis() + " ms");
      }
      return p.exitValue();
    } catch (IOException e) {
      throw new ContainerException("cannot exec " + argv.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerException("interrupted", e);
    }
  }

  /** Another host process in the task's sandbox with the task's environment, stdio piped. */
  @Override
  public ExecSession startExec(String containerId, List<String> argv, Map<String, String> env,
      TerminalSize terminal) throws ContainerException {
    if (terminal != null) {
      throw new ContainerException("exec with a TTY is not supported by " + runtimeName());
    }
    Child c = LIVE.get(containerId);
    if (c == null || !c.process().isAlive()) {
      throw new ContainerException("no running container " + containerId);
    }
    if (argv.isEmpty()) {
      throw new ContainerException("exec needs a command");
    }
    ProcessBuilder pb = new ProcessBuilder(argv).directory(c.launch().sandbox().toFile());
    pb.environment().clear();
    pb.environment().putAll(c.launch().env());
    pb.environment().put("MESOS_SANDBOX", c.launch().sandbox().toString());
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      return ExecSession.of(p, () -> {});
    } catch (IOException e) {
      throw new ContainerException("cannot exec " + argv.get(0) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void destroy(String containerId) {
    Child c = LIVE.remove(containerId);
    if (c != null && c.process().isAlive()) {
      kill(c.process());
    }
  }

  @Override
  public String runtimeName() {
    return "host-process (test stand-in)";
  }
}
