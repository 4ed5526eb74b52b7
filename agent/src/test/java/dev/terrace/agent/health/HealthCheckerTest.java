package dev.terrace.agent.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.terrace.common.model.HealthCheck;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checker on a real Vert.x with short intervals and scripted probes, and the HTTP and TCP
 * probes against real servers on loopback. No assertion depends on how long anything took.
 */
class HealthCheckerTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<String> events = new CopyOnWriteArrayList<>();
  private HealthChecker checker;

  @AfterEach
  void close() {
    if (checker != null) {
      checker.stop();
    }
    vertx.close().await();
  }

  private final HealthChecker.Listener listener = new HealthChecker.Listener() {
    @Override
    public void healthChanged(boolean healthy, String message) {
      assertThat(Vertx.currentContext()).isSameAs(context);
      events.add(healthy ? "healthy" : "unhealthy");
    }

    @Override
    public void failedHealthChecks(String message) {
      events.add("kill: " + message);
    }
  };

  /** Answers each run with the next scripted result (true healthy), then healthy forever. */
  private static final class ScriptedProbe implements Probe {
    final Queue<Boolean> script;
    final AtomicInteger runs = new AtomicInteger();
    volatile boolean closed;

    ScriptedProbe(Boolean... results) {
      script = new ConcurrentLinkedQueue<>(List.of(results));
    }

    @Override
    public Future<Void> run(Duration timeout) {
      runs.incrementAndGet();
      Boolean next = script.poll();
      return next == null || next ? Future.succeededFuture() : Future.failedFuture("scripted failure");
    }

    @Override
    public String describe() {
      return "scripted";
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private static HealthPolicy fast(int failures, Duration grace) {
    return new HealthPolicy(Duration.ZERO, Duration.ofMillis(5), Duration.ofSeconds(30), grace,
        failures);
  }

  @Test
  void reportsChangesAndKillsAfterConsecutiveFailures() {
    ScriptedProbe probe = new ScriptedProbe(true, true, false, true, false, false, false);
    checker = new HealthChecker(vertx, context, "t", fast(3, Duration.ZERO), probe, listener,
        System::nanoTime);
    checker.start();

    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 5);
    assertThat(events.subList(0, 4)).containsExactly("healthy", "unhealthy", "healthy", "unhealthy");
    assertThat(events.get(4)).startsWith("kill: Task failed health checks: 3 consecutive failures")
        .contains("scripted failure");
    // Checks stop with the kill: no further probe once the probe is closed.
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.closed);
    int runs = probe.runs.get();
    assertThat(runs).isEqualTo(7);
  }

  @Test
  void failuresDuringTheGracePeriodAreIgnored() {
    AtomicReference<Long> now = new AtomicReference<>(0L);
    ScriptedProbe probe = new ScriptedProbe(false, false, false, false);
    // The fake clock stays inside the 1 h grace period until the script is used up.
    checker = new HealthChecker(vertx, context, "t", fast(1, Duration.ofHours(1)), probe, listener,
        now::get);
    checker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.runs.get() > 5);
    assertThat(events).containsExactly("healthy");
  }

  @Test
  void aProbeThatHangsTimesOut() {
    Probe hanging = new Probe() {
      @Override
      public Future<Void> run(Duration timeout) {
        return Promise.<Void>promise().future();
      }

      @Override
      public String describe() {
        return "hanging";
      }
    };
    checker = new HealthChecker(vertx, context, "t",
        new HealthPolicy(Duration.ZERO, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ZERO, 2),
        hanging, listener, System::nanoTime);
    checker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    assertThat(events.get(0)).isEqualTo("unhealthy");
    assertThat(events.get(1)).contains("hanging timed out");
  }

  @Test
  void stopEndsTheChecks() {
    ScriptedProbe probe = new ScriptedProbe();
    checker = new HealthChecker(vertx, context, "t", fast(3, Duration.ZERO), probe, listener,
        System::nanoTime);
    checker.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.runs.get() > 0);
    checker.stop();
    await().atMost(Duration.ofSeconds(10)).until(() -> probe.closed);
    int runs = probe.runs.get();
    // A stopped checker schedules nothing more; one more run at most was already on its way.
    Promise<Void> drained = Promise.promise();
    vertx.setTimer(50, t -> context.runOnContext(v -> drained.complete()));
    drained.future().await();
    assertThat(probe.runs.get()).isLessThanOrEqualTo(runs + 1);
    assertThat(events).containsExactly("healthy");
  }

  @Test
  void tcpProbeConnectsToLoopback() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Probe tcp = Probes.of(new HealthCheck(HealthCheck.Type.TCP, null, null, null, null, null,
          null, null, new HealthCheck.Tcp(null, server.getLocalPort())), vertx, null, null, "c");
      assertThat(runOnContext(tcp).succeeded()).isTrue();
      int port = server.getLocalPort();
      server.close();
      Future<Void> refused = runOnContext(tcp);
      assertThat(refused.failed()).isTrue();
      assertThat(refused.cause().getMessage()).contains("TCP connect to 127.0.0.1:" + port);
      tcp.close();
    }
  }

  @Test
  void httpProbeJudgesTheStatus() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ok", ex -> {
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.createContext("/broken", ex -> {
      ex.sendResponseHeaders(503, -1);
      ex.close();
    });
    server.start();
    try {
      int port = server.getAddress().getPort();
      assertThat(runOnContext(http(port, "/ok", null)).succeeded()).isTrue();
      Future<Void> broken = runOnContext(http(port, "/broken", null));
      assertThat(broken.cause().getMessage()).contains("returned status 503");
      assertThat(runOnContext(http(port, "/broken", List.of(503))).succeeded()).isTrue();
      assertThat(runOnContext(http(port, "/ok", List.of(200))).failed()).isTrue();
    } finally {
      server.stop(0);
    }
  }

  private Probe http(int port, String path, List<Integer> statuses) {
    return Probes.of(new HealthCheck(HealthCheck.Type.HTTP, null, null, null, null, null, null,
        new HealthCheck.Http(null, "http", port, path, statuses), null), vertx, null, null, "c");
  }

  /** Runs the probe on the context, as the checker does, and waits for its outcome. */
  private Future<Void> runOnContext(Probe probe) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> probe.run(Duration.ofSeconds(10)).onComplete(done));
    Future<Void> f = done.future();
    await().atMost(Duration.ofSeconds(15)).until(f::isComplete);
    return f;
  }
}
