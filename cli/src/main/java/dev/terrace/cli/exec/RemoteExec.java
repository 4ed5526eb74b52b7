package dev.terrace.cli.exec;

import dev.terrace.cli.security.ClientCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The client side of {@code terrace exec}: finds the agent of a task through the master's operator
 * endpoints, opens the agent's {@code /api/v1/exec} WebSocket and pipes a command's stdio through
 * it (see the agent's {@code ExecApi} for the protocol).
 */
public final class RemoteExec {
  /** Where a task runs: its agent's base URL and its framework. */
  public record Target(URI agent, String frameworkId) {}

  /** A failure before the command ran (no such task, agent unreachable, refused). */
  public static final class ExecException extends Exception {
    public ExecException(String message) {
      super(message);
    }
  }

  private static final int CHUNK = 16 * 1024;
  private final HttpClient http;

  public RemoteExec(HttpClient http) {
    this.http = http;
  }

  /**
   * Looks the task up on the master ({@code /master/tasks?task_id=}), then its agent
   * ({@code /master/slaves?slave_id=}). Only a running task can be exec'ed into.
   */
  public Target locate(URI master, String taskId) throws ExecException, IOException, InterruptedException {
    JsonNode tasks = get(master, "/master/tasks?task_id=" + enc(taskId)).path("tasks");
    JsonNode task = null;
    for (JsonNode t : tasks) {
      if (taskId.equals(t.path("id").asText())
          && (task == null || "TASK_RUNNING".equals(t.path("state").asText()))) {
        task = t;
      }
    }
    if (task == null) {
      throw new ExecException("no task " + taskId + " on the master at " + master);
    }
    String state = task.path("state").asText();
    if (!"TASK_RUNNING".equals(state)) {
      throw new ExecException("task " + taskId + " is not running (" + state + ")");
    }
    String agentId = task.path("slave_id").asText();
    for (JsonNode s : get(master, "/master/slaves?slave_id=" + enc(agentId)).path("slaves")) {
      if (agentId.equals(s.path("id").asText())) {
        String host = s.path("hostname").asText();
        int port = s.path("port").asInt(5051);
        return new Target(ClientCredentials.agentUri(host, port),
            task.path("framework_id").asText());
      }
    }
    throw new ExecException("the agent " + agentId + " of task " + taskId + " is not known to the master");
  }

  /**
   * Runs {@code argv} in the task and pipes {@code in} to its stdin (EOF when {@code in} ends) and
   * its stdout and stderr to {@code out} and {@code err}; returns its exit code. With a
   * {@code terminal}, the command runs on a remote terminal of its size that follows its resizes.
   */
  public int run(Target target, String taskId, List<String> argv, Map<String, String> env,
      LocalTerminal terminal, InputStream in, OutputStream out, OutputStream err)
      throws ExecException, InterruptedException {
    URI uri = URI.create(target.agent().toString().replaceFirst("^http", "ws")
        + "/api/v1/exec?task_id=" + enc(taskId) + "&framework_id=" + enc(target.frameworkId()));
    Listener listener = new Listener(out, err);
    WebSocket ws;
    try {
      ws = ClientCredentials.authorize(http.newWebSocketBuilder()).connectTimeout(Duration.ofSeconds(30))
          .buildAsync(uri, listener).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof WebSocketHandshakeException h) {
        throw new ExecException("the agent refused: HTTP " + h.getResponse().statusCode()
            + " " + h.getResponse().body());
      }
      throw new ExecException("cannot reach the agent at " + target.agent() + ": " + cause);
    }
    ObjectNode command = Json.mapper().createObjectNode();
    argv.forEach(command.putArray("argv")::add);
    ObjectNode envNode = command.putObject("env");
    env.forEach(envNode::put);
    command.put("tty", terminal != null);
    int[] size = terminal == null ? null : terminal.size();
    if (size != null) {
      command.put("rows", size[0]).put("cols", size[1]);
    }
    ws.sendText(command.toString(), true).join();
    if (terminal != null) {
      // Text frames may not interleave with a half-sent one: resizes are sent one at a time.
      terminal.onResize((rows, cols) -> {
        synchronized (ws) {
          ws.sendText("{\"resize\":{\"rows\":" + rows + ",\"cols\":" + cols + "}}", true).join();
        }
      });
    }
    Thread stdin = new Thread(() -> pump(in, ws), "terrace-exec-stdin");
    stdin.setDaemon(true); // blocked on our stdin after the command ended: must not keep us alive
    stdin.start();
    String end = listener.done.join();
    if (listener.exitCode != null) {
      return listener.exitCode;
    }
    throw new ExecException(listener.error != null ? listener.error : "the agent closed: " + end);
  }

  private static void pump(InputStream in, WebSocket ws) {
    byte[] buf = new byte[CHUNK];
    try {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n > 0) {
          ws.sendBinary(ByteBuffer.wrap(buf, 0, n).duplicate(), true).join();
        }
      }
      ws.sendBinary(ByteBuffer.allocate(0), true).join();
    } catch (IOException | CompletionException e) {
      // Our stdin broke, or the session ended meanwhile: nothing more to send.
    }
  }

  private JsonNode get(URI master, String pathAndQuery) throws ExecException, IOException, InterruptedException {
    HttpResponse<String> r = http.send(ClientCredentials.authorize(HttpRequest.newBuilder(URI.create(master + pathAndQuery)))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new ExecException("the master answered " + r.statusCode() + " to " + pathAndQuery);
    }
    return Json.mapper().readTree(r.body());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Writes the output frames as they come; completes {@link #done} at the close. */
  private static final class Listener implements WebSocket.Listener {
    final CompletableFuture<String> done = new CompletableFuture<>();
    private final OutputStream out;
    private final OutputStream err;
    private final java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
    private final StringBuilder text = new StringBuilder();
    volatile Integer exitCode;
    volatile String error;

    Listener(OutputStream out, OutputStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      frame.writeBytes(b);
      if (last) {
        byte[] all = frame.toByteArray();
        frame.reset();
        if (all.length > 0) {
          OutputStream target = all[0] == 2 ? err : out;
          try {
            target.write(all, 1, all.length - 1);
            target.flush();
          } catch (IOException e) {
            ws.abort(); // our stdout is gone (e.g. a closed pipe): stop
            done.complete("local output closed");
          }
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode n = Json.mapper().readTree(text.toString());
          if (n.has("exit_code")) {
            exitCode = n.path("exit_code").asInt();
          } else if (n.has("error")) {
            error = n.path("error").asText();
          }
        } catch (IOException e) {
          error = "unexpected frame from the agent: " + text;
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      if (error == null && exitCode == null && !reason.isEmpty()) {
        error = reason;
      }
      done.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable e) {
      error = "connection to the agent failed: " + e;
      done.complete("error");
    }
  }
}
