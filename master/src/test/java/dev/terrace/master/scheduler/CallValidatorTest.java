package dev.terrace.master.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.json.Bytes;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.scheduler.Call;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallValidatorTest {
  private static final FrameworkId FW = FrameworkId.of("fw-1");

  /** A call of {@code type} with no payload at all. */
  private static Call bare(Call.Type type) {
    return new Call(FW, type, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null);
  }

  private static FrameworkInfo info(String user, String name, Double failoverTimeout,
      String role, List<String> roles) {
    return new FrameworkInfo(user, name, null, failoverTimeout, null, role, roles, null, null, null,
        null, null);
  }

  @ParameterizedTest
  @EnumSource(value = Call.Type.class, names = {"SUBSCRIBE", "ACCEPT", "DECLINE", "KILL",
      "ACKNOWLEDGE", "RECONCILE", "SHUTDOWN", "MESSAGE", "REQUEST", "ACCEPT_INVERSE_OFFERS",
      "DECLINE_INVERSE_OFFERS", "UPDATE_FRAMEWORK"})
  void payloadMissingForEachType(Call.Type type) {
    String field = type.name().toLowerCase();
    assertThat(CallValidator.validate(bare(type)))
        .isEqualTo("Expecting '" + field + "' to be present");
  }

  @ParameterizedTest
  @EnumSource(value = Call.Type.class, names = {"TEARDOWN", "REVIVE", "SUPPRESS"})
  void callsWithOptionalPayloadNeedNone(Call.Type type) {
    assertThat(CallValidator.validate(bare(type))).isNull();
  }

  @Test
  void validCallsPass() {
    assertThat(CallValidator.validate(Call.subscribe(FrameworkInfo.of("root", "fw")))).isNull();
    assertThat(CallValidator.validate(Call.subscribe(FrameworkInfo.of("root", "fw", "a", "b/c"))))
        .isNull();
    assertThat(CallValidator.validate(Call.accept(FW, List.of(), List.of(), null))).isNull();
    assertThat(CallValidator.validate(Call.decline(FW, List.of(), null))).isNull();
    assertThat(CallValidator.validate(Call.kill(FW, TaskId.of("t"), null))).isNull();
    assertThat(CallValidator.validate(Call.reconcile(FW, List.of()))).isNull();
    assertThat(CallValidator.validate(
        Call.acknowledge(FW, AgentId.of("a"), TaskId.of("t"), Bytes.randomUuid()))).isNull();
  }

  @Test
  void killWithoutTaskId() {
    Call kill = new Call(FW, Call.Type.KILL, null, null, null, null, null, null,
        new Call.Kill(null, AgentId.of("a"), null), null, null, null, null, null, null, null, null,
        null);
    assertThat(CallValidator.validate(kill)).isEqualTo("Expecting 'kill.task_id' to be present");
  }

  @Test
  void subscribeWithoutFrameworkInfo() {
    Call call = new Call(FW, Call.Type.SUBSCRIBE, new Call.Subscribe(null, null), null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(CallValidator.validate(call))
        .isEqualTo("Expecting 'subscribe.framework_info' to be present");
  }

  @Test
  void subscribeWithoutUser() {
    assertThat(CallValidator.validate(Call.subscribe(info(null, "fw", null, null, null))))
        .isEqualTo("Expecting 'framework_info.user' to be present");
  }

  @Test
  void subscribeWithoutName() {
    assertThat(CallValidator.validate(Call.subscribe(info("root", null, null, null, null))))
        .isEqualTo("Expecting 'framework_info.name' to be present");
  }

  @Test
  void negativeOrNanFailoverTimeout() {
    assertThat(CallValidator.validate(Call.subscribe(info("root", "fw", -1.0, null, null))))
        .isEqualTo("'framework_info.failover_timeout' must be a non-negative number");
    assertThat(CallValidator.validate(Call.subscribe(info("root", "fw", Double.NaN, null, null))))
        .isEqualTo("'framework_info.failover_timeout' must be a non-negative number");
    assertThat(CallValidator.validate(Call.subscribe(info("root", "fw", 0.0, null, null)))).isNull();
    assertThat(CallValidator.validate(Call.subscribe(info("root", "fw", 604800.0, null, null))))
        .isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-a", "a b", ".", "..", "a/.b"})
  void badRolesAreRefused(String role) {
    String expected = "Role '" + role + "' is not a valid role name";
    // legacy single role
    assertThat(CallValidator.validate(Call.subscribe(info("root", "fw", null, role, null))))
        .isEqualTo(expected);
    // MULTI_ROLE
    FrameworkInfo multi = info("root", "fw", null, null, List.of("ok", role))
        .withCapability(FrameworkInfo.Capability.Type.MULTI_ROLE);
    assertThat(CallValidator.validate(Call.subscribe(multi))).isEqualTo(expected);
  }

  @Test
  void acknowledgeNeedsAgentTaskAndUuid() {
    String expected = "Expecting 'acknowledge' to have 'agent_id', 'task_id' and 'uuid'";
    assertThat(CallValidator.validate(Call.acknowledge(FW, null, TaskId.of("t"), Bytes.randomUuid())))
        .isEqualTo(expected);
    assertThat(CallValidator.validate(Call.acknowledge(FW, AgentId.of("a"), null, Bytes.randomUuid())))
        .isEqualTo(expected);
    assertThat(CallValidator.validate(Call.acknowledge(FW, AgentId.of("a"), TaskId.of("t"), null)))
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15, 17, 32})
  void acknowledgeUuidMustBe16Bytes(int size) {
    Call ack = Call.acknowledge(FW, AgentId.of("a"), TaskId.of("t"), Bytes.of(new byte[size]));
    assertThat(CallValidator.validate(ack)).isEqualTo("'acknowledge.uuid' is not a 16-byte UUID");
  }
}
