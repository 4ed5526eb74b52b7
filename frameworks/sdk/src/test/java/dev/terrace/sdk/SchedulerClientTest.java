package dev.terrace.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Address;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.recordio.RecordIO;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import dev.terrace.discovery.MasterDetector;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchedulerClientTest {
  private static final FrameworkId F1 = FrameworkId.of("F1");
  private static final MasterInfo MASTER = new MasterInfo("m1", null, 5050, null, "127.0.0.1", "0.1", null);

  private FakeMaster master;
  private RecordingScheduler scheduler;
  private SchedulerClient client;

  @BeforeEach
  void setUp() throws Exception {
    master = new FakeMaster();
    scheduler = new RecordingScheduler();
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    master.close();
  }

  private SchedulerClient.Builder builder(String url) {
    return SchedulerClient.builder(url, FrameworkInfo.of("alice", "fw"), scheduler)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }

  private FakeMaster.Stream subscribeAs(FrameworkId id, double heartbeatSeconds) throws InterruptedException {
    FakeMaster.Stream stream = master.subscriptions.poll(10, TimeUnit.SECONDS);
    assertThat(stream).as("a SUBSCRIBE reached the master").isNotNull();
    stream.send(Event.subscribed(id, heartbeatSeconds, MASTER));
    await().atMost(Duration.ofSeconds(30)).until(client::isSubscribed);
    return stream;
  }

  private static Offer offer(String id) {
    return new Offer(OfferId.of(id), F1, AgentId.of("A1"), "host1", null, null,
        List.of(Resource.scalar("cpus", 2), Resource.scalar("mem", 1024)), null, null, null);
  }

  @Test
  void subscribesAndDeliversEventsInStreamOrder() throws Exception {
    client = builder(master.url()).build().start();
    FakeMaster.Stream stream = subscribeAs(F1, 15);

    assertThat(stream.subscribe.subscribe().frameworkInfo().user()).isEqualTo("alice");
    assertThat(stream.subscribe.frameworkId()).isNull();
    // An OFFERS record split across two chunks, then a RESCIND and a HEARTBEAT in one chunk.
    byte[] offers = RecordIO.encode(Json.toBytes(Event.offers(List.of(offer("O1")))));
    stream.sendRaw(Arrays.copyOfRange(offers, 0, 7)).sendRaw(Arrays.copyOfRange(offers, 7, offers.length));
    byte[] rescind = RecordIO.encode(Json.toBytes(Event.rescind(OfferId.of("O1"))));
    byte[] heartbeat = RecordIO.encode(Json.toBytes(Event.heartbeat()));
    byte[] both = new byte[rescind.length + heartbeat.length];
    System.arraycopy(rescind, 0, both, 0, rescind.length);
    System.arraycopy(heartbeat, 0, both, rescind.length, heartbeat.length);
    stream.sendRaw(both);

    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.log.size() >= 4);
    assertThat(scheduler.log).containsExactly("subscribed F1", "offer O1", "rescind O1", "heartbeat");
    assertThat(client.frameworkId()).contains(F1);
  }

  @Test
  void callsCarryStreamIdAndFrameworkIdAndComplete() throws Exception {
    client = builder(master.url()).build().start();
    FakeMaster.Stream stream = subscribeAs(F1, 15);

    TaskInfo task = TaskInfo.command("t1", TaskId.of("t1"), AgentId.of("A1"),
        List.of(Resource.scalar("cpus", 1)), CommandInfo.shell("true"));
    client.launch(offer("O1"), List.of(task)).get(10, TimeUnit.SECONDS);
    client.decline(List.of(OfferId.of("O2")), new Filters(60.0)).get(10, TimeUnit.SECONDS);
    client.kill(TaskId.of("t1"), AgentId.of("A1")).get(10, TimeUnit.SECONDS);
    client.revive().get(10, TimeUnit.SECONDS);
    client.suppress().get(10, TimeUnit.SECONDS);
    client.reconcile(List.of()).get(10, TimeUnit.SECONDS);

    assertThat(master.calls).extracting(FakeMaster.Received::streamId).containsOnly(stream.id);
    assertThat(master.calls).extracting(r -> r.call().frameworkId()).containsOnly(F1);
    assertThat(master.calls).extracting(r -> r.call().type()).containsExactly(Call.Type.ACCEPT,
        Call.Type.DECLINE, Call.Type.KILL, Call.Type.REVIVE, Call.Type.SUPPRESS, Call.Type.RECONCILE);
    Call.Accept accept = master.callsOf(Call.Type.ACCEPT).get(0).accept();
    assertThat(accept.offerIds()).containsExactly(OfferId.of("O1"));
    assertThat(accept.operations()).singleElement().satisfies(op -> {
      assertThat(op.type()).isEqualTo(Operation.Type.LAUNCH);
      assertThat(op.launch().taskInfos()).containsExactly(task);
    });
    assertThat(master.callsOf(Call.Type.DECLINE).get(0).decline().filters().refuseSeconds()).isEqualTo(60.0);
  }

  @Test
  void nonAcceptedCallFailsWithStatusAndMastersMessage() throws Exception {
    master.replies.put(Call.Type.DECLINE, FakeMaster.Reply.of(400, "Offer O9 is no longer valid"));
    client = builder(master.url()).build().start();
    subscribeAs(F1, 15);

    CompletableFuture<Void> result = client.decline(List.of(OfferId.of("O9")), null);

    assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(SchedulerCallException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.masterMessage()).isEqualTo("Offer O9 is no longer valid");
          assertThat(e.getMessage()).contains("DECLINE", "400", "Offer O9 is no longer valid");
        });
  }

  @Test
  void callBeforeSubscriptionFailsWithoutReachingTheMaster() {
    client = builder(master.url()).build();

    assertThat(client.kill(TaskId.of("t"), AgentId.of("a")))
        .failsWithin(Duration.ofSeconds(1))
        .withThrowableThat()
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(master.calls).isEmpty();
  }

  @Test
  void followsProtocolRelativeRedirectToTheLeader() throws Exception {
    try (FakeMaster standby = new FakeMaster()) {
      standby.subscribeReply = call ->
          new FakeMaster.Reply(307, "", "//127.0.0.1:" + master.port() + "/api/v1/scheduler");
      client = builder(standby.url()).build().start();
      FakeMaster.Stream stream = subscribeAs(F1, 15);

      client.decline(List.of(OfferId.of("O1")), null).get(10, TimeUnit.SECONDS);

      assertThat(master.calls).extracting(FakeMaster.Received::streamId).containsExactly(stream.id);
      assertThat(standby.calls).isEmpty();
    }
  }

  @Test
  void resubscribesWithTheSameFrameworkIdAfterTheStreamDrops() throws Exception {
    client = builder(master.url()).build().start();
    FakeMaster.Stream first = subscribeAs(F1, 15);

    first.end();

    FakeMaster.Stream second = master.subscriptions.poll(10, TimeUnit.SECONDS);
    assertThat(second).isNotNull();
    assertThat(second.subscribe.frameworkId()).isEqualTo(F1);
    assertThat(second.subscribe.subscribe().frameworkInfo().id()).isEqualTo(F1);
    second.send(Event.subscribed(F1, 15, MASTER));
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.subscribed.size() == 2);
    assertThat(scheduler.log).containsExactly("subscribed F1", "disconnected", "subscribed F1");
    assertThat(scheduler.disconnects).singleElement().asString().contains("closed");

    // Calls now carry the new stream's id (the client's reconciliation after resubscribing too).
    client.decline(List.of(OfferId.of("O1")), null).get(10, TimeUnit.SECONDS);
    assertThat(master.calls).extracting(FakeMaster.Received::streamId).isNotEmpty().containsOnly(second.id);
  }

  @Test
  void resubscribesAfterFiveMissedHeartbeats() throws Exception {
    client = builder(master.url()).build().start();
    // A 300 ms heartbeat that never comes: the watchdog must drop the (still open) stream after
    // five of them. (Long enough that the test sees the first subscription before it goes.)
    subscribeAs(F1, 0.3);

    FakeMaster.Stream second = master.subscriptions.poll(10, TimeUnit.SECONDS);

    assertThat(second).isNotNull();
    assertThat(second.subscribe.frameworkId()).isEqualTo(F1);
    await().atMost(Duration.ofSeconds(30)).until(() -> !scheduler.disconnects.isEmpty());
    assertThat(scheduler.disconnects.get(0)).contains("missed heartbeats");
  }

  @Test
  void retriesWhileNoLeaderThenSubscribes() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    master.subscribeReply = call -> attempts.incrementAndGet() <= 2
        ? FakeMaster.Reply.of(503, "No leader elected") : null;
    client = builder(master.url()).build().start();

    subscribeAs(F1, 15);

    assertThat(scheduler.disconnects).hasSize(2).allSatisfy(r -> assertThat(r).contains("503", "No leader"));
  }

  @Test
  void refusedSubscriptionIsReportedAsErrorAndNotRetried() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    master.subscribeReply = call -> {
      attempts.incrementAndGet();
      return FakeMaster.Reply.of(400, "Invalid FrameworkInfo: 'user' is empty");
    };
    client = builder(master.url()).build().start();

    await().atMost(Duration.ofSeconds(30)).until(() -> !scheduler.errors.isEmpty());
    assertThat(scheduler.errors.get(0)).contains("400", "'user' is empty");
    assertThat(client.terminated()).succeedsWithin(Duration.ofSeconds(10));
    assertThat(attempts).hasValue(1);
    assertThat(client.isSubscribed()).isFalse();
  }

  @Test
  void aResentUpdateIsAcknowledgedAgainButHandedToTheSchedulerOnce() throws Exception {
    client = builder(master.url()).build().start();
    FakeMaster.Stream stream = subscribeAs(F1, 15);
    TaskStatus running = TaskStatus.of(TaskId.of("t1"), TaskState.TASK_RUNNING,
        TaskStatus.Source.SOURCE_AGENT, null, null, AgentId.of("A1"));
    TaskStatus finished = TaskStatus.of(TaskId.of("t1"), TaskState.TASK_FINISHED,
        TaskStatus.Source.SOURCE_AGENT, null, null, AgentId.of("A1"));

    // The first acknowledgement was lost (a failover, say): the agent resends the same update.
    stream.send(Event.update(running)).send(Event.update(running)).send(Event.update(finished));

    await().atMost(Duration.ofSeconds(30)).until(() -> master.callsOf(Call.Type.ACKNOWLEDGE).size() == 3);
    assertThat(master.callsOf(Call.Type.ACKNOWLEDGE)).extracting(c -> c.acknowledge().uuid())
        .containsExactlyInAnyOrder(running.uuid(), running.uuid(), finished.uuid()); // sent concurrently
    assertThat(scheduler.log).containsSubsequence("update t1 TASK_RUNNING", "update t1 TASK_FINISHED");
    assertThat(scheduler.log.stream().filter("update t1 TASK_RUNNING"::equals)).hasSize(1);
  }

  @Test
  void acknowledgesUpdatesThatCarryAUuidAfterTheSchedulerSawThem() throws Exception {
    client = builder(master.url()).build().start();
    FakeMaster.Stream stream = subscribeAs(F1, 15);
    TaskStatus running = TaskStatus.of(TaskId.of("t1"), TaskState.TASK_RUNNING,
        TaskStatus.Source.SOURCE_EXECUTOR, null, null, AgentId.of("A1"));
    TaskStatus reconciled = TaskStatus.of(TaskId.of("t0"), TaskState.TASK_RUNNING,
        TaskStatus.Source.SOURCE_MASTER, TaskStatus.Reason.REASON_RECONCILIATION, null, AgentId.of("A1"))
        .withoutUuid();

    stream.send(Event.update(reconciled)).send(Event.update(running));

    await().atMost(Duration.ofSeconds(30)).until(() -> master.callsOf(Call.Type.ACKNOWLEDGE).size() == 1);
    Call.Acknowledge ack = master.callsOf(Call.Type.ACKNOWLEDGE).get(0).acknowledge();
    assertThat(ack.taskId()).isEqualTo(TaskId.of("t1"));
    assertThat(ack.agentId()).isEqualTo(AgentId.of("A1"));
    assertThat(ack.uuid()).isEqualTo(running.uuid());
    assertThat(scheduler.log).containsSubsequence("update t0 TASK_RUNNING", "update t1 TASK_RUNNING");
  }

  @Test
  void manualAcknowledgeWhenAutoAcknowledgeIsOff() throws Exception {
    client = builder(master.url()).autoAcknowledge(false).build().start();
    FakeMaster.Stream stream = subscribeAs(F1, 15);
    TaskStatus finished = TaskStatus.of(TaskId.of("t1"), TaskState.TASK_FINISHED,
        TaskStatus.Source.SOURCE_EXECUTOR, null, null, AgentId.of("A1"));
    stream.send(Event.update(finished));
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.updates.size() == 1);

    assertThat(client.acknowledge(finished.withoutUuid())).isCompleted();
    client.acknowledge(scheduler.updates.get(0)).get(10, TimeUnit.SECONDS);

    assertThat(master.callsOf(Call.Type.ACKNOWLEDGE)).singleElement()
        .satisfies(c -> assertThat(c.acknowledge().uuid()).isEqualTo(finished.uuid()));
  }

  @Test
  void errorEventStopsTheClient() throws Exception {
    client = builder(master.url()).build().start();
    FakeMaster.Stream stream = subscribeAs(F1, 15);

    stream.send(Event.error("Framework has been removed"));

    await().atMost(Duration.ofSeconds(30)).until(() -> !scheduler.errors.isEmpty());
    assertThat(scheduler.errors).containsExactly("Framework has been removed");
    assertThat(client.terminated()).succeedsWithin(Duration.ofSeconds(10));
    assertThat(client.isSubscribed()).isFalse();
    assertThat(master.subscriptions).isEmpty();
  }

  @Test
  void teardownIsSentAndNotFollowedByResubscription() throws Exception {
    client = builder(master.url()).build().start();
    FakeMaster.Stream stream = subscribeAs(F1, 15);

    client.teardown().get(10, TimeUnit.SECONDS);
    stream.end();

    assertThat(master.callsOf(Call.Type.TEARDOWN)).singleElement()
        .satisfies(c -> assertThat(c.frameworkId()).isEqualTo(F1));
    // The client ends instead of resubscribing.
    assertThat(client.terminated()).succeedsWithin(Duration.ofSeconds(10));
    assertThat(client.isSubscribed()).isFalse();
    assertThat(master.subscriptions).isEmpty();
    assertThat(scheduler.disconnects).isEmpty();
  }

  @Test
  void asksTheDetectorForTheLeader() throws Exception {
    MasterInfo leader = new MasterInfo("m2", null, master.port(), null, "127.0.0.1", "0.1",
        new Address("localhost", "127.0.0.1", master.port()));
    client = SchedulerClient.builder(new FixedDetector(leader), FrameworkInfo.of("bob", "fw"), scheduler)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .build()
        .start();

    FakeMaster.Stream stream = subscribeAs(F1, 15);

    assertThat(stream.subscribe.subscribe().frameworkInfo().user()).isEqualTo("bob");
  }

  /** A detector that always names one master, as the standalone one does. */
  private static final class FixedDetector implements MasterDetector {
    private final MasterInfo leader;

    FixedDetector(MasterInfo leader) {
      this.leader = leader;
    }

    @Override
    public Optional<MasterInfo> leader() {
      return Optional.of(leader);
    }

    @Override
    public CompletableFuture<MasterInfo> awaitLeader() {
      return CompletableFuture.completedFuture(leader);
    }

    @Override
    public void addListener(Consumer<Optional<MasterInfo>> listener) {
      listener.accept(Optional.of(leader));
    }

    @Override
    public void close() {}
  }
}
