package dev.terrace.agent.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrace.agent.containerizer.Containerizer;
import dev.terrace.agent.containerizer.ExecSession;
import dev.terrace.agent.containerizer.TerminalSize;
import dev.terrace.agent.task.TaskRunner;
import dev.terrace.common.model.TaskState;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/exec?task_id=T[&framework_id=F]}, upgraded to a WebSocket: runs a command
 * inside a running task's container with its stdio streamed both ways.
 *
 * <p>Protocol. The client's first text frame is the command, JSON
 * {@code {"argv":[...], "env":{...}, "tty":false}}. Then the client's binary frames are the
 * command's stdin, an empty binary frame closing it (EOF).
 *
 * <p>With {@code "tty":true} (and optionally {@code "rows"} and {@code "cols"}, 24x80 when left
 * out) the command runs on a terminal: everything it prints comes as {@link #STDOUT} frames, the
 * binary frames are typed on its keyboard (an empty one types the end-of-file character, ^D), and
 * a later text frame {@code {"resize":{"rows":R,"cols":C}}} changes the window size. The agent sends binary frames whose
 * first byte says the stream, {@link #STDOUT} or {@link #STDERR}, followed by the bytes; when the
 * command has exited and both of its output streams are drained, a text frame
 * {@code {"exit_code":N}}, and closes. A command that cannot be started gets a text frame
 * {@code {"error":"..."}} and a close with status 1011 and that reason. An unknown or not running
 * task is refused with 404 before the upgrade. A client that goes away kills the command.
 *
 * <p>Threads: the task is looked up on the agent's context; the command is started on the
 * containerizer pool; each session reads stdout and stderr on two threads of its own and writes
 * stdin on a third (long-lived sessions must not hold the bounded containerizer pool). Each
 * output chunk is written to the WebSocket and waited for before the next read, which is the
 * back-pressure on a fast command.
 */
public final class ExecApi {
  public static final byte STDOUT = 1;
  public static final byte STDERR = 2;
  private static final Logger LOG = LoggerFactory.getLogger(ExecApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 16 * 1024;
  /** What a terminal's end-of-file key (^D) sends. */
  private static final byte[] END_OF_FILE = {4};

  private final Supplier<Collection<TaskRunner>> tasks;
  private final Containerizer containerizer;
  private final WorkerExecutor pool;

  /** @param tasks the agent's current tasks; called on the agent's context only */
  public ExecApi(Supplier<Collection<TaskRunner>> tasks, Containerizer containerizer,
      WorkerExecutor pool) {
    this.tasks = tasks;
    this.containerizer = containerizer;
    this.pool = pool;
  }

  public void mount(Router router) {
    router.get("/api/v1/exec").handler(this::exec);
  }

  private void exec(RoutingContext ctx) {
    String taskId = ctx.request().getParam("task_id");
    String frameworkId = ctx.request().getParam("framework_id");
    if (taskId == null || taskId.isEmpty()) {
      ctx.response().setStatusCode(400).end("task_id is required");
      return;
    }
    Optional<TaskRunner> task = tasks.get().stream()
        .filter(t -> t.task().taskId().value().equals(taskId))
        .filter(t -> frameworkId == null || t.frameworkId().value().equals(frameworkId))
        .findFirst();
    if (task.isEmpty()) {
      ctx.response().setStatusCode(404).end("no task " + taskId + " on this agent");
      return;
    }
    TaskState state = task.get().state();
    if (state != TaskState.TASK_RUNNING) {
      ctx.response().setStatusCode(404).end("task " + taskId + " is not running (" + state + ")");
      return;
    }
    String containerId = task.get().containerId();
    ctx.request().toWebSocket().onSuccess(ws -> new Session(ws, taskId, containerId).begin())
        .onFailure(e -> {
          if (!ctx.response().ended()) {
            ctx.response().setStatusCode(400).end("exec needs a WebSocket upgrade: " + e.getMessage());
          }
        });
  }

  /** One exec over one WebSocket. */
  private final class Session {
    private final ServerWebSocket ws;
    private final String taskId;
    private final String containerId;
    private final CompletableFuture<ExecSession> started = new CompletableFuture<>();
    private final ExecutorService stdinWriter;
    private final AtomicBoolean commandSeen = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();

    Session(ServerWebSocket ws, String taskId, String containerId) {
      this.ws = ws;
      this.taskId = taskId;
      this.containerId = containerId;
      this.stdinWriter = Executors.newSingleThreadExecutor(r -> daemon(r, "exec-stdin-" + taskId));
    }

    void begin() {
      ws.textMessageHandler(this::command);
      // Stdin frames queue on the writer thread, which waits for the command to be started.
      ws.binaryMessageHandler(buf -> {
        byte[] bytes = buf.getBytes();
        try {
          stdinWriter.execute(() -> writeStdin(bytes));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          LOG.debug("exec stdin of task {} after its end dropped", taskId);
        }
      });
      ws.closeHandler(v -> {
        stdinWriter.shutdown();
        if (!finished.get()) {
          // The client went away first: the command must not outlive it.
          started.thenAccept(ExecSession::kill);
          started.completeExceptionally(new IOException("client closed"));
        }
      });
      ws.exceptionHandler(e -> LOG.debug("exec WebSocket of task {}: {}", taskId, e.toString()));
    }

    private void command(String text) {
      JsonNode n;
      try {
        n = JSON.readTree(text);
      } catch (IOException e) {
        fail("the " + (commandSeen.get() ? "resize" : "command") + " frame is not JSON: " + e.getMessage());
        return;
      }
      if (!commandSeen.compareAndSet(false, true)) {
        if (!n.has("resize")) {
          fail("after the command, only resize frames are expected");
          return;
        }
        resize(n.path("resize"));
        return;
      }
      List<String> argv = new ArrayList<>();
      Map<String, String> env = new LinkedHashMap<>();
      n.path("argv").forEach(a -> argv.add(a.asText()));
      n.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      TerminalSize tty;
      try {
        tty = !n.path("tty").asBoolean(false) ? null
            : !n.has("rows") && !n.has("cols") ? TerminalSize.DEFAULT
            : new TerminalSize(n.path("rows").asInt(0), n.path("cols").asInt(0));
      } catch (IllegalArgumentException e) {
        fail(e.getMessage());
        return;
      }
      if (argv.isEmpty()) {
        fail("the command frame needs a non-empty argv");
        return;
      }
      LOG.info("exec in task {}: {}", taskId, argv);
      pool.<ExecSession>executeBlocking(() -> containerizer.startExec(containerId, argv, env, tty),
          false).onComplete(ar -> {
            if (ar.failed()) {
              fail("cannot exec in task " + taskId + ": " + ar.cause().getMessage());
              return;
            }
            ExecSession s = ar.result();
            if (!started.complete(s)) {
              s.kill(); // the client closed while it was starting
              return;
            }
            pump(s);
          });
    }

    private void pump(ExecSession s) {
      CompletableFuture<Void> out = new CompletableFuture<>();
      CompletableFuture<Void> err = new CompletableFuture<>();
      daemon(() -> copy(s.stdout(), STDOUT, out), "exec-stdout-" + taskId).start();
      daemon(() -> copy(s.stderr(), STDERR, err), "exec-stderr-" + taskId).start();
      CompletableFuture.allOf(out, err).thenCombine(s.exit(), (v, code) -> code)
          .whenComplete((code, e) -> {
            finished.set(true);
            stdinWriter.shutdown();
            closeAfterStdin(s);
            if (e != null) {
              fail("exec in task " + taskId + " failed: " + e.getMessage());
            } else {
              ws.writeTextMessage("{\"exit_code\":" + code + "}")
                  .eventually(() -> ws.close((short) 1000, "exit " + code));
            }
          });
    }

    /** Closes {@code s} once the keystrokes queued for it are written (or found too late). */
    private void closeAfterStdin(ExecSession s) {
      daemon(() -> {
        try {
          stdinWriter.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        s.close();
      }, "exec-close-" + taskId).start();
    }

    /** A new window size, applied in order with the keystrokes before it. */
    private void resize(JsonNode size) {
      TerminalSize to;
      try {
        to = new TerminalSize(size.path("rows").asInt(0), size.path("cols").asInt(0));
      } catch (IllegalArgumentException e) {
        fail(e.getMessage());
        return;
      }
      try {
        stdinWriter.execute(() -> {
          try {
            started.join().resize(to);
          } catch (IOException | RuntimeException e) {
            LOG.debug("exec resize in task {}: {}", taskId, e.toString());
          }
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        LOG.debug("exec resize of task {} after its end dropped", taskId);
      }
    }

    /** Reads {@code in} to its end, writing each chunk and waiting for it to be sent. */
    private void copy(InputStream in, byte stream, CompletableFuture<Void> done) {
      byte[] buf = new byte[CHUNK];
      try (in) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          if (n == 0) {
            continue;
          }
          Buffer frame = Buffer.buffer(n + 1).appendByte(stream).appendBytes(buf, 0, n);
          ws.writeBinaryMessage(frame).toCompletionStage().toCompletableFuture().join();
        }
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        // The client went away (its close handler kills the command) or the pipe broke.
        done.completeExceptionally(e);
      }
    }

    private void writeStdin(byte[] bytes) {
      ExecSession s;
      try {
        s = started.join();
      } catch (RuntimeException e) {
        return; // never started, or the client is gone
      }
      try {
        if (bytes.length == 0 && s.hasTerminal()) {
          s.stdin().write(END_OF_FILE);
          s.stdin().flush();
        } else if (bytes.length == 0) {
          s.stdin().close();
        } else {
          s.stdin().write(bytes);
          s.stdin().flush();
        }
      } catch (IOException e) {
        // The command closed its stdin or exited: what it did not read is dropped, as with a pipe.
        LOG.debug("exec stdin of task {}: {}", taskId, e.toString());
      }
    }

    private void fail(String reason) {
      finished.set(true);
      LOG.info("exec in task {}: {}", taskId, reason);
      stdinWriter.shutdown();
      started.completeExceptionally(new IOException(reason));
      String frame = JSON.createObjectNode().put("error", reason).toString();
      // A close reason is limited to 123 bytes; the full text is in the frame before it.
      String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
      Future<Void> sent = ws.isClosed() ? Future.succeededFuture() : ws.writeTextMessage(frame);
      sent.eventually(() -> ws.close((short) 1011, shortReason));
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
