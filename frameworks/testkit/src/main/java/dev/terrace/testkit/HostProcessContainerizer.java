package dev.terrace.testkit;

import dev.terrace.agent.containerizer.ContainerException;
import dev.terrace.agent.containerizer.ContainerExit;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.containerizer.LaunchedContainer;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in containerizer that runs the task as a plain child process of the JVM, in its sandbox,
 * without namespaces or cgroups. It keeps the contract (exit codes, signals, stdout/stderr files),
 * so the master and agent logic can be tested where real containers cannot run. The sandbox path
 * stands in for {@code /mnt/mesos/sandbox}.
 */
public final class HostProcessContainerizer implements Containerizer {
  private final Map<String, Process> processes = new ConcurrentHashMap<>();

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
    processes.put(launch.containerId(), p);
    CompletableFuture<ContainerExit> exit = p.onExit().thenApply(done -> {
      int code = done.exitValue();
      int signal = code > 128 ? code - 128 : 0;
      String message = signal > 0 ? "Command terminated by signal " + signal
          : "Command exited with status " + code;
      return new ContainerExit(code, signal, false, message);
    });
    return new LaunchedContainer(launch.containerId(), (int) p.pid(), exit);
  }

  @Override
  public void signal(String containerId, int signal) throws ContainerException {
    Process p = processes.get(containerId);
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
    } catch (IOException e) {
      throw new ContainerException("kill failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void destroy(String containerId) {
    Process p = processes.remove(containerId);
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
    }
  }

  @Override
  public String runtimeName() {
    return "host-process (test stand-in)";
  }
}
