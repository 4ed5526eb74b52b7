package dev.terrace.cli.ha;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Real {@code terrace master} processes (one JVM each) on loopback behind one ZooKeeper, for tests
 * that kill a master the hard way ({@code kill -9}). Each logs to {@code <workDir>/master.log}.
 */
public final class MasterProcesses implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
  private final List<Process> masters = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();

  /** Starts one more master contending through {@code zkUrl}, with its files under {@code workDir}. */
  public void start(String zkUrl, Path workDir) throws Exception {
    int port;
    // The child binds it a moment later; a clash would show as a master that never serves.
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.createDirectories(workDir);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "dev.terrace.cli.Terrace", "master", "--zk", zkUrl, "--port", Integer.toString(port),
        "--hostname", "127.0.0.1", "--ip", "127.0.0.1", "--work-dir", workDir.toString())
        .redirectErrorStream(true).redirectOutput(workDir.resolve("master.log").toFile());
    masters.add(pb.start());
    ports.add(port);
  }

  /** The index of the live master that serves /master/state itself (the leader). */
  public Optional<Integer> leaderIndex() {
    for (int i = 0; i < masters.size(); i++) {
      if (!masters.get(i).isAlive()) {
        continue;
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(i) + "/master/state"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return Optional.of(i);
        }
      } catch (Exception e) {
        // not up yet, or a standby that redirects
      }
    }
    return Optional.empty();
  }

  /** {@code http://127.0.0.1:PORT} of master {@code index}. */
  public String url(int index) {
    return "http://127.0.0.1:" + ports.get(index);
  }

  public int port(int index) {
    return ports.get(index);
  }

  /** {@code kill -9} of master {@code index}; returns once the process is gone. */
  public void kill(int index) throws InterruptedException {
    masters.get(index).destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    masters.forEach(Process::destroyForcibly);
  }
}
