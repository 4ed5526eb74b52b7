package dev.terrace.agent.health;

import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.task.TaskCommand;
import dev.terrace.common.model.Environment;
import dev.terrace.common.model.HealthCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The probes of Mesos' health check types. HTTP and TCP probe 127.0.0.1 from the agent: tasks
 * share the host's network namespace here (a bridge-mode task would need the probe inside its
 * network namespace instead). COMMAND runs inside the container through
 * {@link Containerizer#exec}, on the worker pool since it blocks.
 */
public final class Probes {
  private static final String LOOPBACK = "127.0.0.1";

  private Probes() {}

  /**
   * The probe for {@code check}.
   *
   * @throws IllegalArgumentException for a check that cannot run (no port, no command, unknown
   *     type); the master validates checks, so this is a framework talking to the agent oddly
   */
  public static Probe of(HealthCheck check, Vertx vertx, WorkerExecutor pool,
      Containerizer containerizer, String containerId) {
    HealthCheck.Type type = check.type() == null ? HealthCheck.Type.UNKNOWN : check.type();
    return switch (type) {
      case HTTP -> {
        if (check.http() == null || check.http().port() == null) {
          throw new IllegalArgumentException("HTTP health check without a port");
        }
        yield new HttpProbe(vertx, check.http());
      }
      case TCP -> {
        if (check.tcp() == null || check.tcp().port() == null) {
          throw new IllegalArgumentException("TCP health check without a port");
        }
        yield new TcpProbe(vertx, check.tcp().port());
      }
      case COMMAND -> {
        if (check.command() == null || check.command().value() == null) {
          throw new IllegalArgumentException("COMMAND health check without a command");
        }
        yield new CommandProbe(pool, containerizer, containerId, TaskCommand.argv(check.command()),
            environment(check.command().environment()));
      }
      case UNKNOWN -> throw new IllegalArgumentException("health check of unknown type");
    };
  }

  private static Map<String, String> environment(Environment env) {
    Map<String, String> vars = new LinkedHashMap<>();
    if (env != null) {
      for (Environment.Variable v : env.variables()) {
        if (v.name() != null && v.value() != null && v.type() != Environment.Variable.Type.SECRET) {
          vars.put(v.name(), v.value());
        }
      }
    }
    return vars;
  }

  /** GET on the task's port; 200-399 is healthy unless the check lists its own statuses. */
  static final class HttpProbe implements Probe {
    private final HttpClient client;
    private final HealthCheck.Http http;
    private final String path;

    HttpProbe(Vertx vertx, HealthCheck.Http http) {
      this.http = http;
      String p = http.path() == null || http.path().isEmpty() ? "/" : http.path();
      this.path = p.startsWith("/") ? p : "/" + p;
      // A fresh connection per probe, as Mesos' curl does: a kept-alive connection would hide a
      // task that stopped accepting new ones. Mesos does not verify certificates either (curl -k).
      this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
          .setTrustAll(true).setVerifyHost(false));
    }

    @Override
    public Future<Void> run(Duration timeout) {
      RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET).setHost(LOOPBACK)
          .setPort(http.port()).setURI(path).setSsl("https".equalsIgnoreCase(http.scheme()))
          .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis());
      return client.request(req)
          .compose(r -> r.send())
          .compose(resp -> resp.body().map(ignored -> resp.statusCode()))
          .compose(status -> healthy(status) ? Future.<Void>succeededFuture()
              : Future.failedFuture(describe() + " returned status " + status));
    }

    private boolean healthy(int status) {
      List<Integer> statuses = http.statuses();
      return statuses == null || statuses.isEmpty() ? status >= 200 && status < 400
          : statuses.contains(status);
    }

    @Override
    public String describe() {
      String scheme = "https".equalsIgnoreCase(http.scheme()) ? "https" : "http";
      return "HTTP GET " + scheme + "://" + LOOPBACK + ":" + http.port() + path;
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** A TCP connect to the task's port; the connection is closed at once. */
  static final class TcpProbe implements Probe {
    private final Vertx vertx;
    private final int port;
    private NetClient client;

    TcpProbe(Vertx vertx, int port) {
      this.vertx = vertx;
      this.port = port;
    }

    @Override
    public Future<Void> run(Duration timeout) {
      if (client == null) {
        client = vertx.createNetClient(new NetClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()))));
      }
      return client.connect(port, LOOPBACK)
          .recover(e -> Future.failedFuture(describe() + " failed: " + e.getMessage()))
          .compose(socket -> socket.close());
    }

    @Override
    public String describe() {
      return "TCP connect to " + LOOPBACK + ":" + port;
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
    }
  }

  /** The check's command inside the container; exit status 0 is healthy. */
  static final class CommandProbe implements Probe {
    private final WorkerExecutor pool;
    private final Containerizer containerizer;
    private final String containerId;
    private final List<String> argv;
    private final Map<String, String> env;

    CommandProbe(WorkerExecutor pool, Containerizer containerizer, String containerId,
        List<String> argv, Map<String, String> env) {
      this.pool = pool;
      this.containerizer = containerizer;
      this.containerId = containerId;
      this.argv = List.copyOf(argv);
      this.env = Map.copyOf(env);
    }

    @Override
    public Future<Void> run(Duration timeout) {
      return pool.<Integer>executeBlocking(() -> containerizer.exec(containerId, argv, env, timeout),
          false)
          .recover(e -> Future.failedFuture(describe() + " failed: " + e.getMessage()))
          .compose(code -> code == 0 ? Future.<Void>succeededFuture()
              : Future.failedFuture(describe() + " exited with status " + code));
    }

    @Override
    public String describe() {
      return "Command " + String.join(" ", argv);
    }
  }
}
