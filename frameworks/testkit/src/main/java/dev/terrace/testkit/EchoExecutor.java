package dev.terrace.testkit;

import dev.terrace.common.executor.ExecutorCall;
import dev.terrace.common.executor.ExecutorEvent;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.recordio.RecordIODecoder;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A custom executor for tests, written only against the Mesos v1 executor API as its
 * documentation describes it (environment, SUBSCRIBE stream, UPDATE and MESSAGE calls): it runs a
 * task by reporting it RUNNING (and FINISHED when the task's data is "finish"), kills it when told,
 * answers every MESSAGE with "echo:" and the message, and exits on SHUTDOWN. Started by the agent
 * as {@code java -cp <testkit classpath> dev.terrace.testkit.EchoExecutor}.
 *
 * <p>When its subscription ends without a SHUTDOWN (the agent went away) and the agent asked for
 * checkpointing ({@code MESOS_CHECKPOINT=1}), it subscribes again, retrying with a backoff up to
 * {@code MESOS_SUBSCRIPTION_BACKOFF_MAX} for at most {@code MESOS_RECOVERY_TIMEOUT}, as a Mesos
 * executor does; then its running tasks are still its own. With the argument
 * {@code --no-reconnect} it stays up without ever subscribing again instead (a hung executor).
 */
public final class EchoExecutor {
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI endpoint;
  private final FrameworkId framework;
  private final ExecutorId executor;
  private final Set<TaskId> running = ConcurrentHashMap.newKeySet();

  private EchoExecutor() {
    endpoint = URI.create("http://" + System.getenv("MESOS_AGENT_ENDPOINT") + "/api/v1/executor");
    framework = FrameworkId.of(System.getenv("MESOS_FRAMEWORK_ID"));
    executor = ExecutorId.of(System.getenv("MESOS_EXECUTOR_ID"));
  }

  public static void main(String[] args) throws Exception {
    EchoExecutor e = new EchoExecutor();
    boolean hang = java.util.List.of(args).contains("--no-reconnect");
    boolean reconnect = "1".equals(System.getenv("MESOS_CHECKPOINT"));
    long recoveryDeadline = 0;
    long backoffMillis = 100;
    while (true) {
      Integer exit;
      try {
        exit = e.run();
      } catch (java.io.IOException ioe) {
        exit = null; // the agent is not there (yet)
        System.err.println("SUBSCRIBE failed: " + ioe);
      }
      if (exit != null && exit != RECONNECT) {
        System.exit(exit);
      }
      if (hang) {
        Thread.sleep(Long.MAX_VALUE);
      }
      if (!reconnect) {
        System.exit(1);
      }
      long now = System.nanoTime();
      if (exit != null || recoveryDeadline == 0) { // it was connected: a new outage begins
        recoveryDeadline = now + duration("MESOS_RECOVERY_TIMEOUT", 15 * 60_000) * 1_000_000;
        backoffMillis = 100;
      } else if (now > recoveryDeadline) {
        System.err.println("the agent did not come back within MESOS_RECOVERY_TIMEOUT");
        System.exit(1);
      }
      Thread.sleep(backoffMillis);
      backoffMillis = Math.min(backoffMillis * 2, duration("MESOS_SUBSCRIPTION_BACKOFF_MAX", 2000));
    }
  }

  /** Exit status of {@link #run} asking for a new subscription (the stream ended under us). */
  private static final int RECONNECT = -1;

  /** A Mesos duration from the environment ("2secs", "15mins", "500ms"), in milliseconds. */
  private static long duration(String name, long dflt) {
    String v = System.getenv(name);
    if (v == null) {
      return dflt;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)\\s*(ms|secs|mins|hrs)").matcher(v.trim());
    if (!m.matches()) {
      return dflt;
    }
    double n = Double.parseDouble(m.group(1));
    return (long) (n * switch (m.group(2)) {
      case "ms" -> 1;
      case "secs" -> 1000;
      case "mins" -> 60_000;
      default -> 3_600_000;
    });
  }

  /** One subscription: its exit status once SHUTDOWN came, or {@link #RECONNECT}. */
  private int run() throws Exception {
    HttpResponse<InputStream> stream = http.send(request(ExecutorCall.subscribe(framework, executor)),
        HttpResponse.BodyHandlers.ofInputStream());
    if (stream.statusCode() != 200) {
      System.err.println("SUBSCRIBE answered " + stream.statusCode());
      return 2;
    }
    System.err.println("subscribed");
    int[] exit = {RECONNECT};
    RecordIODecoder decoder = new RecordIODecoder(16 << 20, record -> {
      if (handle(Json.parse(record, ExecutorEvent.class))) {
        exit[0] = 0;
        throw new StopReading();
      }
    });
    byte[] buf = new byte[8192];
    try (InputStream in = stream.body()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        decoder.feed(buf, 0, n);
      }
    } catch (StopReading done) {
      return exit[0];
    } catch (java.io.IOException broken) {
      System.err.println("subscription broken: " + broken);
      return RECONNECT; // the agent went away mid-stream
    }
    return exit[0];
  }

  /** Handles one event; true when the executor should exit. */
  private boolean handle(ExecutorEvent event) {
    switch (event.type()) {
      case LAUNCH -> {
        TaskId task = event.launch().task().taskId();
        running.add(task);
        update(task, TaskState.TASK_RUNNING);
        Bytes data = event.launch().task().data();
        if (data != null && new String(data.toArray(), StandardCharsets.UTF_8).equals("finish")) {
          running.remove(task);
          update(task, TaskState.TASK_FINISHED);
        }
      }
      case KILL -> {
        running.remove(event.kill().taskId());
        update(event.kill().taskId(), TaskState.TASK_KILLED);
      }
      case MESSAGE -> call(ExecutorCall.message(framework, executor,
          Bytes.utf8("echo:" + new String(event.message().data().toArray(), StandardCharsets.UTF_8))));
      case SHUTDOWN -> {
        for (TaskId task : Set.copyOf(running)) {
          update(task, TaskState.TASK_KILLED);
        }
        return true;
      }
      default -> { }
    }
    return false;
  }

  private void update(TaskId task, TaskState state) {
    TaskStatus status = TaskStatus.of(task, state, TaskStatus.Source.SOURCE_EXECUTOR, null, "echo executor", null);
    call(ExecutorCall.update(framework, executor, status));
  }

  private void call(ExecutorCall call) {
    try {
      HttpResponse<String> r = http.send(request(call), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) {
        System.err.println(call.type() + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (Exception e) {
      System.err.println(call.type() + " failed: " + e);
    }
  }

  private HttpRequest request(ExecutorCall call) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json");
    String token = System.getenv("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b.POST(HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(call))).build();
  }

  private static final class StopReading extends RuntimeException {
    StopReading() {
      super(null, null, false, false);
    }
  }
}
