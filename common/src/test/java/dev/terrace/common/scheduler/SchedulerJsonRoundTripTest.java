package dev.terrace.common.scheduler;

import static dev.terrace.common.WireDocs.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.HealthCheck;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Operation;
import dev.terrace.common.model.ReservationInfo;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Value;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Round trips of scheduler API documents written from the Mesos docs and {@code scheduler.proto}
 * (where the two disagree the .proto shape is used: {@code offers.offers}, {@code error.message},
 * {@code request.requests}, {@code revive.roles}, {@code data} not {@code bytes}).
 */
class SchedulerJsonRoundTripTest {

  @Test
  void subscribeCall() {
    Call call = roundTrip("call-subscribe.json", Call.class);
    assertThat(call.type()).isEqualTo(Call.Type.SUBSCRIBE);
    FrameworkInfo info = call.subscribe().frameworkInfo();
    assertThat(info.user()).isEqualTo("alice");
    assertThat(info.name()).isEqualTo("Example HTTP Framework");
    assertThat(info.failoverTimeout()).isEqualTo(604800.0);
    assertThat(info.checkpoint()).isTrue();
    assertThat(info.hasCapability(FrameworkInfo.Capability.Type.MULTI_ROLE)).isTrue();
    assertThat(info.effectiveRoles()).containsExactly("analytics");
    assertThat(info.labels().labels()).singleElement()
        .satisfies(l -> assertThat(l.key()).isEqualTo("team"));
    assertThat(call.subscribe().suppressedRoles()).containsExactly("batch");
    assertThat(call.frameworkId()).isNull();
  }

  @Test
  void subscribedEvent() {
    Event event = roundTrip("event-subscribed.json", Event.class);
    assertThat(event.type()).isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(event.subscribed().frameworkId()).isEqualTo(FrameworkId.of("12220-3440-12532-2345"));
    assertThat(event.subscribed().heartbeatIntervalSeconds()).isEqualTo(15.0);
    MasterInfo master = event.subscribed().masterInfo();
    assertThat(master.ip()).isEqualTo(MasterInfo.packIpv4("127.0.0.1"));
    assertThat(master.port()).isEqualTo(5050);
    assertThat(master.baseUrl()).isEqualTo("http://127.0.0.1:5050");
  }

  @Test
  void offersEvent() {
    Event event = roundTrip("event-offers.json", Event.class);
    assertThat(event.type()).isEqualTo(Event.Type.OFFERS);
    List<Offer> offers = event.offers().offers();
    assertThat(offers).hasSize(2);
    Offer offer = offers.get(0);
    assertThat(offer.id().value()).isEqualTo("12214-23523-O235235");
    assertThat(offer.agentId()).isEqualTo(AgentId.of("12325-23523-S23523"));
    assertThat(offer.allocationInfo().role()).isEqualTo("analytics");
    assertThat(offer.resources()).hasSize(5);
    assertThat(offer.resources().get(0).scalar().value()).isEqualTo(2.5);
    assertThat(offer.resources().get(2).reservationRole()).isEqualTo("analytics");
    assertThat(offer.resources().get(2).reservations()).singleElement()
        .satisfies(r -> assertThat(r.type()).isEqualTo(ReservationInfo.Type.STATIC));
    assertThat(offer.resources().get(3).ranges().range())
        .containsExactly(new Value.Range(31000, 31099), new Value.Range(31200, 32000));
    assertThat(offer.resources().get(4).set().item()).containsExactly("a100", "t4");
    assertThat(offer.resources()).allSatisfy(
        r -> assertThat(r.allocationInfo().role()).isEqualTo("analytics"));
    assertThat(offer.attributes()).extracting(a -> a.name() + ":" + a.valueString())
        .containsExactly("rack:r1", "cores:16", "slots:[1-4]", "zones:{eu-1a,eu-1b}");
    assertThat(offer.executorIds()).singleElement()
        .satisfies(e -> assertThat(e.value()).isEqualTo("default-executor"));
    Offer second = offers.get(1);
    assertThat(second.unavailability().start().nanoseconds()).isEqualTo(1700000000000000000L);
    assertThat(second.unavailability().duration().toDuration()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void acceptWithLaunch() {
    Call call = roundTrip("call-accept-launch.json", Call.class);
    assertThat(call.type()).isEqualTo(Call.Type.ACCEPT);
    assertThat(call.accept().offerIds()).extracting(o -> o.value())
        .containsExactly("12220-3440-12532-O12", "12220-3440-12532-O13");
    assertThat(call.accept().filters().refuseSecondsOrDefault()).isEqualTo(5.0);
    Operation op = call.accept().operations().get(0);
    assertThat(op.type()).isEqualTo(Operation.Type.LAUNCH);
    TaskInfo task = op.launch().taskInfos().get(0);
    assertThat(task.taskId()).isEqualTo(TaskId.of("hello-1"));
    assertThat(task.command().isShell()).isTrue();
    assertThat(task.command().value()).isEqualTo("echo $GREETING && sleep 30");
    assertThat(task.command().uris().get(0).extract()).isTrue();
    assertThat(task.command().environment().variables().get(0).name()).isEqualTo("GREETING");
    ContainerInfo container = task.container();
    assertThat(container.type()).isEqualTo(ContainerInfo.Type.MESOS);
    assertThat(container.mesos().image().type()).isEqualTo(Image.Type.DOCKER);
    assertThat(container.imageName()).isEqualTo("library/busybox:1.35");
    assertThat(container.volumes().get(0).mode()).isEqualTo(ContainerInfo.Volume.Mode.RO);
    assertThat(container.networkInfos().get(0).portMappings().get(0).containerPort()).isEqualTo(8080);
    assertThat(task.healthCheck().type()).isEqualTo(HealthCheck.Type.HTTP);
    assertThat(task.healthCheck().http().statuses()).containsExactly(200, 204);
    assertThat(task.killPolicy().gracePeriod().toDuration()).isEqualTo(Duration.ofSeconds(5));
    assertThat(task.data().utf8String()).isEqualTo("hello world");
  }

  @Test
  void declineWithFilters() {
    Call call = roundTrip("call-decline.json", Call.class);
    assertThat(call.type()).isEqualTo(Call.Type.DECLINE);
    assertThat(call.decline().offerIds()).hasSize(2);
    assertThat(call.decline().filters().refuseSeconds()).isEqualTo(120.0);
  }

  @Test
  void kill() {
    Call call = roundTrip("call-kill.json", Call.class);
    assertThat(call.kill().taskId()).isEqualTo(TaskId.of("12220-3440-12532-my-task"));
    assertThat(call.kill().agentId()).isEqualTo(AgentId.of("12220-3440-12532-S1233"));
    assertThat(call.kill().killPolicy().gracePeriod().toDuration()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void acknowledgeCarriesTheUuidAsBase64Bytes() {
    Call call = roundTrip("call-acknowledge.json", Call.class);
    Bytes uuid = call.acknowledge().uuid();
    assertThat(uuid.size()).isEqualTo(16);
    assertThat(uuid.hex()).isEqualTo("d0665749bdd544ef9c7fa522d5dce04b");
    assertThat(uuid.base64()).isEqualTo("0GZXSb3VRO+cf6Ui1dzgSw==");
  }

  @Test
  void reconcile() {
    Call call = roundTrip("call-reconcile.json", Call.class);
    assertThat(call.reconcile().tasks()).hasSize(2);
    assertThat(call.reconcile().tasks().get(0).agentId()).isEqualTo(AgentId.of("123535"));
    assertThat(call.reconcile().tasks().get(1).agentId()).isNull();
  }

  @Test
  void reviveWithRoles() {
    Call call = roundTrip("call-revive.json", Call.class);
    assertThat(call.revive().roles()).containsExactly("analytics", "batch");
  }

  @Test
  void requestNestsRequests() {
    Call call = roundTrip("call-request.json", Call.class);
    assertThat(call.request().requests()).singleElement().satisfies(r -> {
      assertThat(r.agentId()).isEqualTo(AgentId.of("12220-3440-12532-S1233"));
      assertThat(r.resources()).extracting(res -> res.name()).containsExactly("cpus", "mem");
    });
  }

  @Test
  void updateEventWithFullTaskStatus() {
    Event event = roundTrip("event-update.json", Event.class);
    TaskStatus status = event.update().status();
    assertThat(status.state()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(status.state().isTerminal()).isTrue();
    assertThat(status.reason()).isEqualTo(TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED);
    assertThat(status.source()).isEqualTo(TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(status.timestamp()).isEqualTo(1700000123.456);
    assertThat(status.healthy()).isFalse();
    assertThat(status.uuid().size()).isEqualTo(16);
    assertThat(status.data().utf8String()).isEqualTo("uhdjfhuagdj63d7hadkf");
    assertThat(status.containerStatus().containerId().toString()).isEqualTo("c-parent.c-child");
    assertThat(status.containerStatus().executorPid()).isEqualTo(4242);
    assertThat(status.containerStatus().networkInfos().get(0).ipAddresses().get(0).ipAddress())
        .isEqualTo("10.0.0.7");
    assertThat(status.withoutUuid().uuid()).isNull();
  }

  @Test
  void heartbeat() {
    Event event = roundTrip("event-heartbeat.json", Event.class);
    assertThat(event).isEqualTo(Event.heartbeat());
  }

  @Test
  void error() {
    Event event = roundTrip("event-error.json", Event.class);
    assertThat(event).isEqualTo(Event.error("Framework is not authorized"));
  }

  @Test
  void factoriesWriteTheSameShapes() {
    FrameworkId fw = FrameworkId.of("F1");
    assertThat(dev.terrace.common.json.Json.toString(Call.revive(fw, List.of("r"))))
        .isEqualTo("{\"framework_id\":{\"value\":\"F1\"},\"type\":\"REVIVE\",\"revive\":{\"roles\":[\"r\"]}}");
    assertThat(dev.terrace.common.json.Json.toString(Call.teardown(fw)))
        .isEqualTo("{\"framework_id\":{\"value\":\"F1\"},\"type\":\"TEARDOWN\"}");
    assertThat(dev.terrace.common.json.Json.toString(Event.heartbeat()))
        .isEqualTo("{\"type\":\"HEARTBEAT\"}");
  }
}
