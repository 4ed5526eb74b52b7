package dev.terrace.cli.ha;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real {@code terrace master} processes (one JVM each) on loopback behind one ZooKeeper, for tests
 * that kill a master the hard way ({@code kill -9}). Each logs to {@code <workDir>/master.log}.
 */
public final class MasterProcesses implements AutoCloseable {
  private final HttpClient http = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern LISTENING = Pattern.compile("Master \\S+ listening on 127\\.0\\.0\\.1:(\\d+)");

  private final List<Process> masters = new ArrayList<>();
  private final List<Path> logs = new ArrayList<>();
  private final Map<Integer, Integer> ports = new ConcurrentHashMap<>();

  /** Starts one more master contending through {@code zkUrl}, with its files under {@code workDir}. */
  public void start(String zkUrl, Path workDir) throws Exception {
    Files.createDirectories(workDir);
    Path log = workDir.resolve("master.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Port 0: the master binds a free port itself and logs it (see port()).
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "dev.terrace.cli.Terrace", "master", "--zk", zkUrl, "--port", "0",
        "--hostname", "127.0.0.1", "--ip", "127.0.0.1", "--work-dir", workDir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    masters.add(pb.start());
    logs.add(log);
  }

  /** The port master {@code index} listens on, once it has logged it. */
  private Optional<Integer> listening(int index) {
    Integer known = ports.get(index);
    if (known != null) {
      return Optional.of(known);
    }
    try {
      Matcher m = LISTENING.matcher(Files.readString(logs.get(index)));
      if (m.find()) {
        ports.put(index, Integer.parseInt(m.group(1)));
        return Optional.of(ports.get(index));
      }
    } catch (IOException e) {
      // not written yet
    }
    return Optional.empty();
  }

  /** The index of the live master that serves /master/state itself (the leader). */
  public Optional<Integer> leaderIndex() {
    for (int i = 0; i < masters.size(); i++) {
      if (!masters.get(i).isAlive() || listening(i).isEmpty()) {
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
    return "http://127.0.0.1:" + port(index);
  }

  /** The port of master {@code index}, which has served (see {@link #leaderIndex}). */
  public int port(int index) {
    return listening(index).orElseThrow(() -> new IllegalStateException("master " + index + " is not listening yet"));
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
