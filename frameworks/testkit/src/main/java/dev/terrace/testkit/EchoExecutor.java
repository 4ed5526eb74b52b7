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
    System.exit(new EchoExecutor().run());
  }

  private int run() throws Exception {
    HttpResponse<InputStream> stream = http.send(request(ExecutorCall.subscribe(framework, executor)),
        HttpResponse.BodyHandlers.ofInputStream());
    if (stream.statusCode() != 200) {
      System.err.println("SUBSCRIBE answered " + stream.statusCode());
      return 2;
    }
    int[] exit = {1};
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
