package dev.terrace.testkit.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An agent JVM ({@link AgentHostMain}) running inside a {@link NamespaceHosts.Host}: started with
 * {@code nsenter --net=} so its sockets, its CNI bridge, veths, routes and iptables rules all live
 * in that host's namespace, while it shares the machine's filesystem and mounts (so its containers
 * and checkpoints survive its death exactly as on a real host). Its log goes to
 * {@code <workDir>/agent.log}.
 */
public final class AgentProcess implements AutoCloseable {
  private final NamespaceHosts.Host host;
  private final Path workDir;
  private final String masterUrl;
  private final String resources;
  private final String cidr;
  private Process process;

  public AgentProcess(NamespaceHosts.Host host, Path workDir, String masterUrl, String resources,
      String cidr) {
    this.host = host;
    this.workDir = workDir;
    this.masterUrl = masterUrl;
    this.resources = resources;
    this.cidr = cidr;
  }

  public NamespaceHosts.Host host() {
    return host;
  }

  public Path workDir() {
    return workDir;
  }

  /**
   * The sandbox of task {@code taskId} on this host ({@code .../executors/<task>/runs/<container>}),
   * searched under {@code agents/} only: a container's rootfs may show the same path again.
   */
  public Path sandbox(String taskId) throws IOException {
    try (var files = Files.walk(workDir.resolve("agents"))) {
      return files.filter(p -> p.toString().contains("/executors/" + taskId + "/runs/")
          && p.getParent().getFileName().toString().equals("runs")
          && !p.getFileName().toString().equals("latest")).findFirst()
          .orElseThrow(() -> new IOException("no sandbox of task " + taskId + " under " + workDir));
    }
  }

  /** Starts the agent and waits (up to {@code timeout}) until it serves; returns its port. */
  public int start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Files.deleteIfExists(workDir.resolve("agent.port"));
    List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + host.netnsPath(),
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), AgentHostMain.class.getName(),
        "--master", masterUrl, "--work-dir", workDir.toString(), "--ip", host.address(),
        "--resources", resources, "--cidr", cidr));
    process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("agent.log").toFile()))
        .start();
    long deadline = System.nanoTime() + timeout.toNanos();
    Path portFile = workDir.resolve("agent.port");
    while (!Files.exists(portFile)) {
      if (!process.isAlive()) {
        throw new IOException("agent on " + host.name() + " exited with " + process.exitValue()
            + "; see " + workDir.resolve("agent.log"));
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("agent on " + host.name() + " did not start within " + timeout);
      }
      Thread.sleep(50);
    }
    return Integer.parseInt(Files.readString(portFile).strip());
  }

  /** {@code kill -9}: the agent dies as in a crash; its containers keep running. */
  public void crash() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** SIGTERM: the agent kills its tasks, releases their networks and exits. */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
