package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

/**
 * A framework that speaks only protobuf, built on Apache Mesos' generated v1 classes (as
 * mesos-rxjava does): subscribe, get an offer, launch, see its task's updates, acknowledge them,
 * update its framework info, shut the task's executor down, and tear down, all in
 * `application/x-protobuf` against a real master and agent.
 */
class ProtobufSchedulerApiTest {

  @Test
  void aProtobufFrameworkRunsATaskEndToEnd() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
        RawSchedulerConnection conn = new RawSchedulerConnection(
            cluster.leader().orElseThrow().url(), "application/x-protobuf")) {
      Protos.FrameworkInfo info = Protos.FrameworkInfo.newBuilder().setUser("pb").setName("protobuf-fw")
          .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
              .setType(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE)).build();
      assertThat(conn.subscribe(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
          .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build().toByteArray())).isEqualTo(200);
      assertThat(conn.streamId).isNotBlank();

      Event subscribed = Event.parseFrom(conn.next());
      assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
      Protos.FrameworkID fwId = subscribed.getSubscribed().getFrameworkId();
      Event offers = nextOfType(conn, Event.Type.OFFERS);
      Protos.Offer offer = offers.getOffers().getOffers(0);
      assertThat(offer.isInitialized()).isTrue();

      Protos.TaskID taskId = Protos.TaskID.newBuilder().setValue("pb-task").build();
      Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName("pb-task").setTaskId(taskId)
          .setAgentId(offer.getAgentId())
          .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
          .setCommand(Protos.CommandInfo.newBuilder().setShell(true).setValue("sleep 30")).build();
      HttpResponse<String> accepted = conn.post(Call.newBuilder().setFrameworkId(fwId).setType(Call.Type.ACCEPT)
          .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
              .addOperations(Protos.Offer.Operation.newBuilder().setType(Protos.Offer.Operation.Type.LAUNCH)
                  .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(task))))
          .build().toByteArray());
      assertThat(accepted.statusCode()).isEqualTo(202);

      List<Protos.TaskState> states = new ArrayList<>();
      while (!states.contains(Protos.TaskState.TASK_RUNNING)) {
        Protos.TaskStatus status = nextOfType(conn, Event.Type.UPDATE).getUpdate().getStatus();
        states.add(status.getState());
        assertThat(conn.post(Call.newBuilder().setFrameworkId(fwId).setType(Call.Type.ACKNOWLEDGE)
            .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(status.getAgentId())
                .setTaskId(status.getTaskId()).setUuid(status.getUuid())).build().toByteArray())
            .statusCode()).isEqualTo(202);
      }
      assertThat(states).containsExactly(Protos.TaskState.TASK_STARTING, Protos.TaskState.TASK_RUNNING);

      // UPDATE_FRAMEWORK is synchronous (200); REQUEST is accepted and ignored (202).
      assertThat(conn.post(Call.newBuilder().setFrameworkId(fwId).setType(Call.Type.UPDATE_FRAMEWORK)
          .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(
              info.toBuilder().setId(fwId).setName("renamed")))
          .build().toByteArray()).statusCode()).isEqualTo(200);
      assertThat(conn.post(Call.newBuilder().setFrameworkId(fwId).setType(Call.Type.REQUEST)
          .setRequest(Call.Request.newBuilder()).build().toByteArray()).statusCode()).isEqualTo(202);

      // SHUTDOWN of the command task's executor (its id is the task's) kills the task.
      assertThat(conn.post(Call.newBuilder().setFrameworkId(fwId).setType(Call.Type.SHUTDOWN)
          .setShutdown(Call.Shutdown.newBuilder().setAgentId(offer.getAgentId())
              .setExecutorId(Protos.ExecutorID.newBuilder().setValue("pb-task")))
          .build().toByteArray()).statusCode()).isEqualTo(202);
      Protos.TaskStatus killed;
      do {
        killed = nextOfType(conn, Event.Type.UPDATE).getUpdate().getStatus();
        conn.post(Call.newBuilder().setFrameworkId(fwId).setType(Call.Type.ACKNOWLEDGE)
            .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(killed.getAgentId())
                .setTaskId(killed.getTaskId()).setUuid(killed.getUuid())).build().toByteArray());
      } while (killed.getState() != Protos.TaskState.TASK_KILLED);

      // A garbled protobuf body is a 400 that names the problem.
      HttpResponse<String> garbled = conn.post(new byte[] {(byte) 0xff, 1, 2, 3});
      assertThat(garbled.statusCode()).isEqualTo(400);
      assertThat(garbled.body()).contains("protobuf");

      assertThat(conn.post(Call.newBuilder().setFrameworkId(fwId).setType(Call.Type.TEARDOWN).build()
          .toByteArray()).statusCode()).isEqualTo(202);
    }
  }

  private static Event nextOfType(RawSchedulerConnection conn, Event.Type type) throws Exception {
    while (true) {
      Event e = Event.parseFrom(conn.next());
      if (e.getType() == type) {
        return e;
      }
    }
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }
}
