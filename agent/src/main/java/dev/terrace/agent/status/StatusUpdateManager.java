package dev.terrace.agent.status;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each task's status updates to the framework reliably and in order, as Mesos' agent
 * does: an update is checkpointed to disk before it is sent; only the oldest unacknowledged update
 * of a task is in flight; it is resent with exponential backoff until the framework's
 * acknowledgement comes back through the master; then the next one goes. A restarted agent reads
 * the checkpoints back, so no update is lost with the process.
 *
 * <p>Runs on the agent context; disk writes go to an ordered worker so they never block it.
 */
public final class StatusUpdateManager {
  private static final Logger LOG = LoggerFactory.getLogger(StatusUpdateManager.class);

  /** Sends one update; returns false when there is no channel to the master right now. */
  public interface Sender {
    boolean send(AgentMessage.StatusUpdate update);
  }

  private record Key(FrameworkId framework, TaskId task) {}

  private static final class TaskUpdates {
    final Deque<AgentMessage.StatusUpdate> pending = new ArrayDeque<>();
    long nextSendAt;
    long backoffMs;
    /** The head is queued but not yet checkpointed: it must not go out before it is on disk. */
    boolean headUnwritten;
  }

  private final Vertx vertx;
  private final Path dir;
  private final Sender sender;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Map<Key, TaskUpdates> streams = new LinkedHashMap<>();
  private final long timer;

  public StatusUpdateManager(Vertx vertx, Path dir, Sender sender, Duration initialBackoff,
      Duration maxBackoff) {
    this.vertx = vertx;
    this.dir = dir;
    this.sender = sender;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.timer = vertx.setPeriodic(250, t -> resendDue());
  }

  /** Reads checkpointed updates of a previous run (blocking; call before the agent connects). */
  public static Map<String, List<AgentMessage.StatusUpdate>> readCheckpoints(Path dir) {
    Map<String, List<AgentMessage.StatusUpdate>> out = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        try {
          Checkpoint cp = Json.parse(Files.readAllBytes(f), Checkpoint.class);
          out.put(f.getFileName().toString(), cp.updates());
        } catch (RuntimeException | IOException e) {
          LOG.error("Unreadable status update checkpoint {}: {}", f, e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** What one task's checkpoint file holds: its unacknowledged updates, oldest first. */
  public record Checkpoint(List<AgentMessage.StatusUpdate> updates) {}

  /** Re-queues updates read from checkpoints (agent restart). */
  public void restore(List<AgentMessage.StatusUpdate> updates) {
    for (AgentMessage.StatusUpdate u : updates) {
      streams.computeIfAbsent(key(u), k -> new TaskUpdates()).pending.addLast(u);
    }
  }

  /** Queues a new update of a task; it goes out once those before it are acknowledged. */
  public Future<Void> update(AgentMessage.StatusUpdate update) {
    Key key = key(update);
    TaskUpdates s = streams.computeIfAbsent(key, k -> new TaskUpdates());
    if (s.pending.isEmpty()) {
      s.headUnwritten = true;
    }
    s.pending.addLast(update);
    // Keep the latest state current on the update in flight too: the master books the newest.
    return checkpoint(key, s).onComplete(ar -> {
      if (s.pending.peekFirst() != update) {
        return;
      }
      s.headUnwritten = false;
      if (ar.succeeded()) {
        sendHead(s);
      } else {
        LOG.error("Could not checkpoint the status update of task {}: {}", key.task(),
            ar.cause().getMessage());
      }
    });
  }

  /** The framework acknowledged {@code uuid}: drop it and send the task's next update. */
  public void acknowledge(FrameworkId fw, TaskId task, Bytes uuid) {
    Key key = new Key(fw, task);
    TaskUpdates s = streams.get(key);
    if (s == null || s.pending.isEmpty()) {
      return;
    }
    AgentMessage.StatusUpdate head = s.pending.peekFirst();
    if (head.status().uuid() == null || !head.status().uuid().equals(uuid)) {
      LOG.debug("Acknowledgement {} for task {} does not match the update in flight", uuid, task);
      return;
    }
    s.pending.removeFirst();
    if (s.pending.isEmpty()) {
      streams.remove(key);
    }
    checkpoint(key, s).onSuccess(v -> {
      if (!s.pending.isEmpty()) {
        s.backoffMs = 0;
        sendHead(s);
      }
    });
  }

  /** Forgets every update of frameworks matching {@code which} (the framework is gone). */
  public void discard(Predicate<FrameworkId> which) {
    for (Key key : List.copyOf(streams.keySet())) {
      if (which.test(key.framework())) {
        TaskUpdates s = streams.remove(key);
        s.pending.clear();
        checkpoint(key, s);
      }
    }
  }

  /** True while some update of this task awaits acknowledgement. */
  public boolean hasPending(FrameworkId fw, TaskId task) {
    return streams.containsKey(new Key(fw, task));
  }

  /** The newest state queued for a task and not yet acknowledged, or null when none is. */
  public TaskState latestPending(FrameworkId fw, TaskId task) {
    TaskUpdates s = streams.get(new Key(fw, task));
    return s == null || s.pending.isEmpty() ? null : s.pending.peekLast().status().state();
  }

  /** The channel to the master is (re)established: send every task's head update now. */
  public void flush() {
    for (TaskUpdates s : streams.values()) {
      if (!s.headUnwritten) {
        s.backoffMs = 0;
        sendHead(s);
      }
    }
  }

  public void close() {
    vertx.cancelTimer(timer);
  }

  private void resendDue() {
    long now = System.currentTimeMillis();
    for (TaskUpdates s : streams.values()) {
      if (!s.pending.isEmpty() && !s.headUnwritten && now >= s.nextSendAt) {
        sendHead(s);
      }
    }
  }

  private void sendHead(TaskUpdates s) {
    AgentMessage.StatusUpdate head = s.pending.peekFirst();
    if (head == null) {
      return;
    }
    TaskState latest = s.pending.peekLast().status().state();
    boolean sent = sender.send(new AgentMessage.StatusUpdate(head.frameworkId(), head.status(), latest));
    s.backoffMs = s.backoffMs == 0 ? initialBackoff.toMillis()
        : Math.min(maxBackoff.toMillis(), s.backoffMs * 2);
    s.nextSendAt = System.currentTimeMillis() + (sent ? s.backoffMs : Math.min(s.backoffMs, 1000));
  }

  private Future<Void> checkpoint(Key key, TaskUpdates s) {
    List<AgentMessage.StatusUpdate> snapshot = new ArrayList<>(s.pending);
    Path file = dir.resolve(fileName(key));
    return vertx.executeBlocking(() -> {
      Files.createDirectories(dir);
      if (snapshot.isEmpty()) {
        Files.deleteIfExists(file);
        return null;
      }
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      Files.write(tmp, Json.toBytes(new Checkpoint(snapshot)));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return null;
    }, true).mapEmpty();
  }

  private static Key key(AgentMessage.StatusUpdate u) {
    return new Key(u.frameworkId(), u.status().taskId());
  }

  /** Ids may hold characters a file name cannot; hex keeps names safe and unique. */
  private static String fileName(Key key) {
    return hex(key.framework().value()) + "_" + hex(key.task().value()) + ".json";
  }

  private static String hex(String s) {
    return java.util.HexFormat.of().formatHex(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
