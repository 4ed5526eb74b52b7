package dev.terrace.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Url;
import dev.terrace.common.model.Value;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** Terrace's records against Apache Mesos' own generated v1 protobuf classes. */
class MesosProtobufTest {

  @Test
  void subscribeWrittenByAMesosProtobufClientIsReadAsACall() {
    byte[] wire = org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
        .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.SUBSCRIBE)
        .setSubscribe(org.apache.mesos.v1.scheduler.Protos.Call.Subscribe.newBuilder()
            .setFrameworkInfo(Protos.FrameworkInfo.newBuilder().setUser("alice").setName("fw")
                .addRoles("analytics").setFailoverTimeout(604800).setCheckpoint(true)
                .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
                    .setType(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE))))
        .build().toByteArray();

    Call call = MesosProtobuf.parseCall(wire);

    assertThat(call.type()).isEqualTo(Call.Type.SUBSCRIBE);
    FrameworkInfo info = call.subscribe().frameworkInfo();
    assertThat(info.user()).isEqualTo("alice");
    assertThat(info.roles()).containsExactly("analytics");
    assertThat(info.failoverTimeout()).isEqualTo(604800.0);
    assertThat(info.hasCapability(FrameworkInfo.Capability.Type.MULTI_ROLE)).isTrue();
  }

  @Test
  void acknowledgeKeepsItsBinaryUuid() {
    byte[] uuid = new byte[16];
    for (int i = 0; i < 16; i++) {
      uuid[i] = (byte) (i * 17);
    }
    byte[] wire = org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("F1"))
        .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.ACKNOWLEDGE)
        .setAcknowledge(org.apache.mesos.v1.scheduler.Protos.Call.Acknowledge.newBuilder()
            .setAgentId(Protos.AgentID.newBuilder().setValue("A1"))
            .setTaskId(Protos.TaskID.newBuilder().setValue("T1"))
            .setUuid(ByteString.copyFrom(uuid)))
        .build().toByteArray();

    Call call = MesosProtobuf.parseCall(wire);

    assertThat(call.frameworkId()).isEqualTo(FrameworkId.of("F1"));
    assertThat(call.acknowledge().uuid()).isEqualTo(Bytes.of(uuid));
    assertThat(MesosProtobuf.parseCall(MesosProtobuf.encodeCall(call))).isEqualTo(call);
  }

  @Test
  void offersEventIsReadByMesosGeneratedClasses() throws Exception {
    Offer offer = new Offer(OfferId.of("O1"), FrameworkId.of("F1"), AgentId.of("A1"), "host1",
        Url.http("host1", "10.0.0.1", 5051), new dev.terrace.common.model.AllocationInfo("analytics"),
        List.of(Resource.scalar("cpus", 2).withAllocationRole("analytics"),
            Resource.ranges("ports", List.of(new Value.Range(31000, 32000))).withAllocationRole("analytics")),
        List.of(Attribute.text("rack", "r1")), null, null);

    byte[] wire = MesosProtobuf.encodeEvent(Event.offers(List.of(offer)));

    org.apache.mesos.v1.scheduler.Protos.Event event = org.apache.mesos.v1.scheduler.Protos.Event.parseFrom(wire);
    assertThat(event.getType()).isEqualTo(org.apache.mesos.v1.scheduler.Protos.Event.Type.OFFERS);
    Protos.Offer parsed = event.getOffers().getOffers(0);
    assertThat(parsed.isInitialized()).as("every proto2 required field is set").isTrue();
    assertThat(parsed.getAgentId().getValue()).isEqualTo("A1");
    assertThat(parsed.getResources(1).getRanges().getRange(0).getEnd()).isEqualTo(32000);
    assertThat(parsed.getResources(0).getAllocationInfo().getRole()).isEqualTo("analytics");
    assertThat(parsed.getAttributes(0).getText().getValue()).isEqualTo("r1");
    assertThat(parsed.getUrl().getAddress().getPort()).isEqualTo(5051);
    // And back, 64-bit range ends arriving as JSON strings included.
    assertThat(MesosProtobuf.parseEvent(wire).offers().offers()).containsExactly(offer);
  }

  @Test
  void updateAndSubscribedEventsAreComplete() throws Exception {
    TaskStatus status = TaskStatus.of(TaskId.of("T1"), TaskState.TASK_RUNNING,
        TaskStatus.Source.SOURCE_AGENT, TaskStatus.Reason.REASON_RECONCILIATION, "ok", AgentId.of("A1"));
    org.apache.mesos.v1.scheduler.Protos.Event update =
        org.apache.mesos.v1.scheduler.Protos.Event.parseFrom(MesosProtobuf.encodeEvent(Event.update(status)));
    assertThat(update.getUpdate().getStatus().getUuid().toByteArray()).isEqualTo(status.uuid().toArray());
    assertThat(update.getUpdate().getStatus().getState()).isEqualTo(Protos.TaskState.TASK_RUNNING);
    assertThat(update.isInitialized()).isTrue();

    MasterInfo master = new MasterInfo("m1", MasterInfo.packIpv4("127.0.0.1"), 5050, "master@127.0.0.1:5050",
        "localhost", "0.1.0", null);
    org.apache.mesos.v1.scheduler.Protos.Event subscribed = org.apache.mesos.v1.scheduler.Protos.Event.parseFrom(
        MesosProtobuf.encodeEvent(Event.subscribed(FrameworkId.of("F1"), 15, master)));
    assertThat(subscribed.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
    assertThat(subscribed.getSubscribed().getMasterInfo().getPort()).isEqualTo(5050);
    assertThat(subscribed.isInitialized()).isTrue();
  }

  @Test
  void garbageIsAWireFormatError() {
    assertThatThrownBy(() -> MesosProtobuf.parseCall(new byte[] {(byte) 0xff, 0x01, 0x02}))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("Malformed protobuf");
  }
}
