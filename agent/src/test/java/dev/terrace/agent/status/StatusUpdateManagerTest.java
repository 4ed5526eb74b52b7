package dev.terrace.agent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.channel.AgentMessage;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusUpdateManagerTest {
  private static final FrameworkId F1 = FrameworkId.of("fw-1");
  private static final FrameworkId F2 = FrameworkId.of("fw/2");
  private static final TaskId T1 = TaskId.of("task-1");
  private static final TaskId T2 = TaskId.of("task 2");
  private static final AgentId AGENT = AgentId.of("agent-1");
  /** So long that nothing is resent during a test: every send is a first send or a flush. */
  private static final Duration NO_RETRY = Duration.ofHours(1);

  @TempDir
  Path dir;

  private Vertx vertx;
  private Context context;
  private final List<AgentMessage.StatusUpdate> sent = new CopyOnWriteArrayList<>();
  private final AtomicBoolean connected = new AtomicBoolean(true);
  /** Set when an update reaches the sender before it is in a checkpoint on disk. */
  private final List<String> sentBeforeCheckpointed = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private <T> T onContext(Callable<T> call) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(call.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    return result.get(10, TimeUnit.SECONDS);
  }

  private void onContext(Runnable action) throws Exception {
    onContext(() -> {
      action.run();
      return null;
    });
  }

  private static void join(Future<?> f) throws Exception {
    f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private StatusUpdateManager manager(Duration initialBackoff, Duration maxBackoff) throws Exception {
    return onContext(() -> new StatusUpdateManager(vertx, dir, u -> {
      if (!isCheckpointed(u)) {
        sentBeforeCheckpointed.add(u.status().state().name());
      }
      sent.add(u);
      return connected.get();
    }, initialBackoff, maxBackoff));
  }

  private StatusUpdateManager manager() throws Exception {
    return manager(NO_RETRY, NO_RETRY);
  }

  private boolean isCheckpointed(AgentMessage.StatusUpdate u) {
    return StatusUpdateManager.readCheckpoints(dir).values().stream().flatMap(List::stream)
        .anyMatch(c -> c.status().uuid().equals(u.status().uuid()));
  }

  private static AgentMessage.StatusUpdate update(FrameworkId fw, TaskId task, TaskState state) {
    TaskStatus status = TaskStatus.of(task, state, TaskStatus.Source.SOURCE_EXECUTOR, null, null, AGENT);
    return new AgentMessage.StatusUpdate(fw, status, state);
  }

  private void queue(StatusUpdateManager m, AgentMessage.StatusUpdate... updates) throws Exception {
    for (AgentMessage.StatusUpdate u : updates) {
      join(onContext(() -> m.update(u)));
    }
  }

  private void ack(StatusUpdateManager m, AgentMessage.StatusUpdate u) throws Exception {
    onContext(() -> m.acknowledge(u.frameworkId(), u.status().taskId(), u.status().uuid()));
  }

  private List<Bytes> sentUuids() {
    return sent.stream().map(u -> u.status().uuid()).toList();
  }

  private List<Bytes> uuids(List<AgentMessage.StatusUpdate> updates) {
    return updates.stream().map(u -> u.status().uuid()).toList();
  }

  private long sendsOf(AgentMessage.StatusUpdate u) {
    return sent.stream().filter(s -> s.status().uuid().equals(u.status().uuid())).count();
  }

  private long checkpointFiles() throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.toString().endsWith(".json")).count();
    }
  }

  @Test
  void updatesOfATaskGoOutOneAtATimeInOrderAfterEachAck() throws Exception {
    StatusUpdateManager m = manager();
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    var running = update(F1, T1, TaskState.TASK_RUNNING);
    var finished = update(F1, T1, TaskState.TASK_FINISHED);

    queue(m, starting, running, finished);
    await().until(() -> !sent.isEmpty());
    assertThat(sentUuids()).containsOnly(starting.status().uuid());

    ack(m, starting);
    await().until(() -> sendsOf(running) > 0);
    assertThat(sendsOf(finished)).isZero();

    ack(m, running);
    await().until(() -> sendsOf(finished) > 0);

    ack(m, finished);
    assertThat(onContext(() -> m.hasPending(F1, T1))).isFalse();
    // In order, each update after the one before it was acknowledged.
    assertThat(sentUuids()).containsExactly(starting.status().uuid(), running.status().uuid(),
        finished.status().uuid());
    assertThat(sentBeforeCheckpointed).isEmpty();
  }

  /**
   * An update goes out only once it is checkpointed, even when the disk is slow: neither the
   * retry timer nor a flush (reconnect) may send it first, or an agent crash right then would
   * lose an update the framework has already seen.
   */
  @Test
  void nothingIsSentBeforeItIsCheckpointed() throws Exception {
    StatusUpdateManager m = manager(Duration.ofMillis(100), Duration.ofMillis(100));
    CountDownLatch diskBusy = new CountDownLatch(1);
    // Checkpoint writes are ordered blocking tasks of this context: hold the queue.
    onContext(() -> context.executeBlocking(() -> diskBusy.await(10, TimeUnit.SECONDS), true));
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    Future<Void> written = onContext(() -> m.update(starting));

    onContext(m::flush);
    await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(sent::isEmpty);

    diskBusy.countDown();
    join(written);
    await().until(() -> sendsOf(starting) > 0);
    assertThat(sentBeforeCheckpointed).isEmpty();
  }

  @Test
  void differentTasksAreIndependent() throws Exception {
    StatusUpdateManager m = manager();
    var a = update(F1, T1, TaskState.TASK_STARTING);
    var b = update(F1, T2, TaskState.TASK_STARTING);
    var c = update(F2, T1, TaskState.TASK_STARTING);

    queue(m, a, b, c);

    await().until(() -> sent.size() >= 3);
    assertThat(sentUuids()).containsExactlyInAnyOrder(a.status().uuid(), b.status().uuid(),
        c.status().uuid());
  }

  @Test
  void aWrongUuidDoesNotAcknowledgeTheHead() throws Exception {
    StatusUpdateManager m = manager();
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    var running = update(F1, T1, TaskState.TASK_RUNNING);
    queue(m, starting, running);
    await().until(() -> !sent.isEmpty());

    onContext(() -> m.acknowledge(F1, T1, Bytes.randomUuid()));
    // Acknowledging an update that is not the head (the second one) does not count either.
    ack(m, running);
    onContext(() -> m.acknowledge(F2, T1, starting.status().uuid()));

    assertThat(onContext(() -> m.hasPending(F1, T1))).isTrue();
    onContext(m::flush);
    await().until(() -> sent.size() >= 2);
    assertThat(sentUuids()).containsOnly(starting.status().uuid());
    assertThat(StatusUpdateManager.readCheckpoints(dir).values()).singleElement()
        .satisfies(list -> assertThat(uuids(list))
            .containsExactly(starting.status().uuid(), running.status().uuid()));
  }

  @Test
  void theUnacknowledgedHeadIsResentWithBackoff() throws Exception {
    StatusUpdateManager m = manager(Duration.ofMillis(100), Duration.ofMillis(200));
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    var running = update(F1, T1, TaskState.TASK_RUNNING);
    queue(m, starting, running);

    await().atMost(Duration.ofSeconds(10)).until(() -> sendsOf(starting) >= 4);
    assertThat(sendsOf(running)).isZero();

    ack(m, starting);
    await().atMost(Duration.ofSeconds(10)).until(() -> sendsOf(running) >= 3);
    ack(m, running);
    assertThat(onContext(() -> m.hasPending(F1, T1))).isFalse();
  }

  @Test
  void latestStateCarriesTheNewestQueuedState() throws Exception {
    StatusUpdateManager m = manager();
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    var running = update(F1, T1, TaskState.TASK_RUNNING);
    var finished = update(F1, T1, TaskState.TASK_FINISHED);

    queue(m, starting);
    await().until(() -> !sent.isEmpty());
    assertThat(sent.get(0).latestState()).isEqualTo(TaskState.TASK_STARTING);

    queue(m, running, finished);
    onContext(m::flush);
    await().until(() -> sent.size() >= 2);
    AgentMessage.StatusUpdate resent = sent.get(1);
    assertThat(resent.status().uuid()).isEqualTo(starting.status().uuid());
    assertThat(resent.status().state()).isEqualTo(TaskState.TASK_STARTING);
    assertThat(resent.latestState()).isEqualTo(TaskState.TASK_FINISHED);

    ack(m, starting);
    await().until(() -> sendsOf(running) > 0);
    assertThat(sent.get(sent.size() - 1).latestState()).isEqualTo(TaskState.TASK_FINISHED);
  }

  @Test
  void nothingIsLostWhileDisconnectedAndFlushResends() throws Exception {
    connected.set(false);
    StatusUpdateManager m = manager();
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    var running = update(F1, T1, TaskState.TASK_RUNNING);
    var other = update(F2, T2, TaskState.TASK_RUNNING);
    queue(m, starting, running, other);
    await().until(() -> sent.size() >= 2);
    assertThat(onContext(() -> m.hasPending(F1, T1))).isTrue();
    assertThat(onContext(() -> m.hasPending(F2, T2))).isTrue();

    connected.set(true);
    sent.clear();
    onContext(m::flush);

    await().until(() -> sent.size() >= 2);
    assertThat(sentUuids()).containsExactlyInAnyOrder(starting.status().uuid(), other.status().uuid());
    ack(m, starting);
    await().until(() -> sendsOf(running) > 0);
  }

  @Test
  void disconnectedSendsAreRetriedWithoutFlush() throws Exception {
    connected.set(false);
    StatusUpdateManager m = manager(Duration.ofMillis(100), Duration.ofMillis(100));
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    queue(m, starting);
    await().until(() -> sendsOf(starting) >= 2);

    connected.set(true);
    int before = sent.size();
    await().until(() -> sent.size() > before);
    assertThat(sent.get(sent.size() - 1).status().uuid()).isEqualTo(starting.status().uuid());
  }

  @Test
  void checkpointsHoldUnacknowledgedUpdatesUntilAllAreAcknowledged() throws Exception {
    StatusUpdateManager m = manager();
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    var running = update(F1, T1, TaskState.TASK_RUNNING);
    queue(m, starting, running);

    Map<String, List<AgentMessage.StatusUpdate>> cps = StatusUpdateManager.readCheckpoints(dir);
    assertThat(cps).hasSize(1);
    assertThat(cps.values().iterator().next()).containsExactly(starting, running);

    ack(m, starting);
    await().until(() -> uuids(StatusUpdateManager.readCheckpoints(dir).values().iterator().next())
        .equals(List.of(running.status().uuid())));

    await().until(() -> sendsOf(running) > 0);
    ack(m, running);
    await().until(() -> checkpointFiles() == 0);
    assertThat(StatusUpdateManager.readCheckpoints(dir)).isEmpty();
  }

  @Test
  void checkpointsAreKeptPerTaskWithSafeFileNames() throws Exception {
    StatusUpdateManager m = manager();
    queue(m, update(F1, T1, TaskState.TASK_STARTING), update(F2, T2, TaskState.TASK_STARTING));

    Map<String, List<AgentMessage.StatusUpdate>> cps = StatusUpdateManager.readCheckpoints(dir);
    assertThat(cps).hasSize(2);
    assertThat(cps.keySet()).allSatisfy(name -> assertThat(name).matches("[0-9a-f]+_[0-9a-f]+\\.json"));
  }

  @Test
  void readCheckpointsOfAMissingDirectoryIsEmpty() {
    assertThat(StatusUpdateManager.readCheckpoints(dir.resolve("nothing-here"))).isEmpty();
  }

  @Test
  void restoredUpdatesAreSentAgainAfterARestart() throws Exception {
    connected.set(false);
    StatusUpdateManager before = manager();
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    var running = update(F1, T1, TaskState.TASK_RUNNING);
    queue(before, starting, running);
    onContext(before::close);

    // The agent restarts: a new manager on the same directory reads the checkpoints back.
    Map<String, List<AgentMessage.StatusUpdate>> recovered = StatusUpdateManager.readCheckpoints(dir);
    assertThat(recovered.values()).singleElement()
        .satisfies(list -> assertThat(list).containsExactly(starting, running));
    connected.set(true);
    sent.clear();
    StatusUpdateManager after = manager();
    onContext(() -> recovered.values().forEach(after::restore));
    assertThat(onContext(() -> after.hasPending(F1, T1))).isTrue();

    onContext(after::flush);
    await().until(() -> !sent.isEmpty());
    assertThat(sent.get(0).status().uuid()).isEqualTo(starting.status().uuid());
    assertThat(sent.get(0).latestState()).isEqualTo(TaskState.TASK_RUNNING);

    ack(after, starting);
    await().until(() -> sendsOf(running) > 0);
    ack(after, running);
    await().until(() -> checkpointFiles() == 0);
  }

  @Test
  void restoredUpdatesAreSentByTheRetryTimerWithoutFlush() throws Exception {
    StatusUpdateManager before = manager();
    var starting = update(F1, T1, TaskState.TASK_STARTING);
    queue(before, starting);
    onContext(before::close);
    sent.clear();

    StatusUpdateManager after = manager(Duration.ofMillis(100), Duration.ofMillis(100));
    onContext(() -> StatusUpdateManager.readCheckpoints(dir).values().forEach(after::restore));

    await().until(() -> sendsOf(starting) > 0);
  }

  @Test
  void discardDropsOneFrameworksUpdates() throws Exception {
    connected.set(false);
    StatusUpdateManager m = manager();
    var gone = update(F1, T1, TaskState.TASK_RUNNING);
    var kept = update(F2, T2, TaskState.TASK_RUNNING);
    queue(m, gone, kept);
    assertThat(StatusUpdateManager.readCheckpoints(dir)).hasSize(2);

    onContext(() -> m.discard(F1::equals));

    assertThat(onContext(() -> m.hasPending(F1, T1))).isFalse();
    assertThat(onContext(() -> m.hasPending(F2, T2))).isTrue();
    await().until(() -> checkpointFiles() == 1);
    assertThat(StatusUpdateManager.readCheckpoints(dir).values()).singleElement()
        .satisfies(list -> assertThat(list).containsExactly(kept));

    connected.set(true);
    sent.clear();
    onContext(m::flush);
    await().until(() -> !sent.isEmpty());
    assertThat(sentUuids()).containsExactly(kept.status().uuid());
  }

  @Test
  void aTaskCanHaveNewUpdatesAfterAllWereAcknowledged() throws Exception {
    StatusUpdateManager m = manager();
    var running = update(F1, T1, TaskState.TASK_RUNNING);
    queue(m, running);
    await().until(() -> !sent.isEmpty());
    ack(m, running);

    var finished = update(F1, T1, TaskState.TASK_FINISHED);
    queue(m, finished);
    await().until(() -> sendsOf(finished) > 0);
    assertThat(StatusUpdateManager.readCheckpoints(dir).values()).singleElement()
        .satisfies(list -> assertThat(list).containsExactly(finished));
  }
}
