package dev.terrace.common.channel;

import static dev.terrace.common.WireDocs.assertSameJson;
import static dev.terrace.common.WireDocs.tree;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.json.Bytes;
import dev.terrace.common.json.Json;
import dev.terrace.common.json.WireFormatException;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.AgentInfo;
import dev.terrace.common.model.Attribute;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.DurationInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.KillPolicy;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.ResourceParser;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agent channel's messages: tagged by "type", payloads in the Mesos wire shapes. */
class ChannelMessageJsonTest {
  private static final FrameworkId FW = FrameworkId.of("fw-1");
  private static final AgentId AGENT = AgentId.of("agent-1");
  private static final TaskId TASK = TaskId.of("task-1");

  private static <T> T roundTrip(T message, Class<T> type, String expectedJson) {
    assertSameJson(Json.toTree(message), tree(expectedJson.getBytes(UTF_8)));
    T back = Json.parse(Json.toBytes(message), type);
    assertThat(back).isEqualTo(message);
    return back;
  }

  private static TaskInfo task() {
    return TaskInfo.command("t", TASK, AGENT, List.of(Resource.scalar("cpus", 1)),
        CommandInfo.shell("sleep 1"));
  }

  private static TaskStatus status() {
    return new TaskStatus(TASK, TaskState.TASK_RUNNING, null, TaskStatus.Source.SOURCE_EXECUTOR,
        null, null, AGENT, null, 1700000000.5, Bytes.fromBase64("AAECAwQFBgcICQoLDA0ODw=="), true,
        null, null, null);
  }

  @Test
  void registerWithoutIdOnFirstContact() {
    AgentInfo info = new AgentInfo("node1", 5051,
        ResourceParser.parseResources("cpus:2;mem:1024;ports:[31000-31001]"),
        List.of(Attribute.text("rack", "r1")), null);
    AgentMessage msg = new AgentMessage.Register(info, "0.1.0", null, null);
    roundTrip(msg, AgentMessage.class, """
        {"type":"REGISTER","agent_info":{"hostname":"node1","port":5051,
          "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":2}},
                       {"name":"mem","type":"SCALAR","scalar":{"value":1024}},
                       {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31001}]}}],
          "attributes":[{"name":"rack","type":"TEXT","text":{"value":"r1"}}]},
         "version":"0.1.0"}""");
  }

  @Test
  void reRegisterCarriesTasksAndFrameworks() {
    AgentInfo info = new AgentInfo("node1", 5051, null, null, AGENT);
    AgentMessage msg = new AgentMessage.Register(info, "0.1.0",
        List.of(new AgentMessage.Task(FW, task(), status())),
        List.of(FrameworkInfo.of("alice", "fw", "analytics").withId(FW)));
    AgentMessage.Register back = (AgentMessage.Register) roundTrip(msg, AgentMessage.class, """
        {"type":"REGISTER","agent_info":{"hostname":"node1","port":5051,"id":{"value":"agent-1"}},
         "version":"0.1.0",
         "tasks":[{"framework_id":{"value":"fw-1"},
                   "task_info":{"name":"t","task_id":{"value":"task-1"},"agent_id":{"value":"agent-1"},
                                "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1}}],
                                "command":{"shell":true,"value":"sleep 1"}},
                   "latest_status":{"task_id":{"value":"task-1"},"state":"TASK_RUNNING",
                                    "source":"SOURCE_EXECUTOR","agent_id":{"value":"agent-1"},
                                    "timestamp":1700000000.5,"uuid":"AAECAwQFBgcICQoLDA0ODw==",
                                    "healthy":true}}],
         "frameworks":[{"user":"alice","name":"fw","id":{"value":"fw-1"},"roles":["analytics"]}]}""");
    assertThat(back.tasks().get(0).latestStatus().uuid().hex())
        .isEqualTo("000102030405060708090a0b0c0d0e0f");
  }

  @Test
  void statusUpdate() {
    roundTrip(new AgentMessage.StatusUpdate(FW, status(), TaskState.TASK_FINISHED), AgentMessage.class, """
        {"type":"STATUS_UPDATE","framework_id":{"value":"fw-1"},"latest_state":"TASK_FINISHED",
         "status":{"task_id":{"value":"task-1"},"state":"TASK_RUNNING","source":"SOURCE_EXECUTOR",
                   "agent_id":{"value":"agent-1"},"timestamp":1700000000.5,
                   "uuid":"AAECAwQFBgcICQoLDA0ODw==","healthy":true}}""");
  }

  @Test
  void registered() {
    MasterInfo master = new MasterInfo("m1", MasterInfo.packIpv4("127.0.0.1"), 5050,
        "master@127.0.0.1:5050", "localhost", "0.1.0", null);
    roundTrip(new MasterMessage.Registered(AGENT, master), MasterMessage.class, """
        {"type":"REGISTERED","agent_id":{"value":"agent-1"},
         "master_info":{"id":"m1","ip":16777343,"port":5050,"pid":"master@127.0.0.1:5050",
                        "hostname":"localhost","version":"0.1.0"}}""");
  }

  @Test
  void runTask() {
    FrameworkInfo fwInfo = FrameworkInfo.of("alice", "fw").withId(FW);
    roundTrip(new MasterMessage.RunTask(FW, fwInfo, task()), MasterMessage.class, """
        {"type":"RUN_TASK","framework_id":{"value":"fw-1"},
         "framework_info":{"user":"alice","name":"fw","id":{"value":"fw-1"}},
         "task":{"name":"t","task_id":{"value":"task-1"},"agent_id":{"value":"agent-1"},
                 "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1}}],
                 "command":{"shell":true,"value":"sleep 1"}}}""");
  }

  @Test
  void killTask() {
    KillPolicy policy = new KillPolicy(DurationInfo.of(Duration.ofSeconds(3)));
    roundTrip(new MasterMessage.KillTask(FW, TASK, policy), MasterMessage.class, """
        {"type":"KILL_TASK","framework_id":{"value":"fw-1"},"task_id":{"value":"task-1"},
         "kill_policy":{"grace_period":{"nanoseconds":3000000000}}}""");
  }

  @Test
  void acknowledge() {
    roundTrip(new MasterMessage.Acknowledge(FW, TASK, Bytes.fromBase64("AAECAwQFBgcICQoLDA0ODw==")),
        MasterMessage.class, """
        {"type":"ACKNOWLEDGE","framework_id":{"value":"fw-1"},"task_id":{"value":"task-1"},
         "uuid":"AAECAwQFBgcICQoLDA0ODw=="}""");
  }

  @Test
  void shutdownFrameworkAndRefused() {
    roundTrip(new MasterMessage.ShutdownFramework(FW), MasterMessage.class,
        "{\"type\":\"SHUTDOWN_FRAMEWORK\",\"framework_id\":{\"value\":\"fw-1\"}}");
    roundTrip(new MasterMessage.Refused("unknown agent id agent-9"), MasterMessage.class,
        "{\"type\":\"REFUSED\",\"message\":\"unknown agent id agent-9\"}");
  }

  @Test
  void typeTagMayComeAnywhereInTheObject() {
    MasterMessage msg = Json.parse(
        "{\"framework_id\":{\"value\":\"fw-1\"},\"extra\":1,\"type\":\"SHUTDOWN_FRAMEWORK\"}",
        MasterMessage.class);
    assertThat(msg).isEqualTo(new MasterMessage.ShutdownFramework(FW));
  }

  @Test
  void unknownOrMissingTypeIsAWireFormatError() {
    assertThatThrownBy(() -> Json.parse("{\"type\":\"TELEPORT\"}", MasterMessage.class))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("TELEPORT");
    assertThatThrownBy(() -> Json.parse("{\"message\":\"x\"}", MasterMessage.class))
        .isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> Json.parse("{\"type\":\"REGISTERED\"}", AgentMessage.class))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void wrongTypesInsidePayloadsNameTheField() {
    assertThatThrownBy(() -> Json.parse(
        "{\"type\":\"STATUS_UPDATE\",\"status\":{\"task_id\":{\"value\":\"t\"},\"healthy\":\"yes\"}}",
        AgentMessage.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'status.healthy'");
  }
}
