package dev.terrace.common.json;

import static dev.terrace.common.WireDocs.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.scheduler.Call;
import dev.terrace.common.scheduler.Event;
import org.junit.jupiter.api.Test;

/** What the one ObjectMapper accepts and rejects, and how it says so. */
class WireFormatStrictnessTest {

  @Test
  void unknownFieldsAreIgnoredAtEveryLevel() {
    // The docs' SUBSCRIBE example still carries "force", which scheduler.proto v1 no longer has.
    String doc = """
        {"type": "SUBSCRIBE", "future_field": [1, 2, {"x": null}],
         "subscribe": {"framework_info": {"user": "foo", "name": "Example HTTP Framework",
                                          "offer_filters": {"gpu": {}}},
                       "force": true}}""";
    Call call = Json.parse(doc, Call.class);
    assertThat(call.type()).isEqualTo(Call.Type.SUBSCRIBE);
    assertThat(call.subscribe().frameworkInfo().user()).isEqualTo("foo");
    assertThat(Json.toString(call)).doesNotContain("force", "future_field", "offer_filters");
  }

  @Test
  void unknownCallTypeParsesToUnknown() {
    Call call = Json.parse("{\"type\":\"TELEPORT\",\"framework_id\":{\"value\":\"F\"}}", Call.class);
    assertThat(call.type()).isEqualTo(Call.Type.UNKNOWN);
    assertThat(call.frameworkId()).isEqualTo(FrameworkId.of("F"));
  }

  @Test
  void unknownEventTypeParsesToUnknown() {
    assertThat(Json.parse("{\"type\":\"SOMETHING_NEW\"}", Event.class).type())
        .isEqualTo(Event.Type.UNKNOWN);
  }

  @Test
  void stringWhereANumberBelongsNamesTheField() {
    String doc = "{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":\"lots\"}}";
    assertThatThrownBy(() -> Json.parse(doc, Resource.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'scalar.value'");
  }

  @Test
  void stringWhereABooleanBelongsNamesTheField() {
    String doc = "{\"name\":\"t\",\"task_id\":{\"value\":\"t\"},\"command\":{\"shell\":\"yes\"}}";
    assertThatThrownBy(() -> Json.parse(doc, TaskInfo.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'command.shell'");
  }

  @Test
  void numberWhereAStringBelongsNamesTheField() {
    String doc = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":5}}}";
    assertThatThrownBy(() -> Json.parse(doc, Call.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'subscribe.framework_info.name'");
  }

  @Test
  void booleanWhereAStringBelongsIsRejected() {
    assertThatThrownBy(() -> Json.parse("{\"value\":true}", FrameworkId.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'value'");
  }

  @Test
  void elementOfAListIsNamedByIndex() {
    String doc = """
        {"type":"ACCEPT","accept":{"offer_ids":[{"value":"o1"},{"value":7}]}}""";
    assertThatThrownBy(() -> Json.parse(doc, Call.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'accept.offer_ids[1].value'");
  }

  @Test
  void unknownTaskStateIsRejected() {
    String doc = "{\"task_id\":{\"value\":\"t\"},\"state\":\"TASK_DANCING\"}";
    assertThatThrownBy(() -> Json.parse(doc, dev.terrace.common.model.TaskStatus.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'state'");
  }

  @Test
  void idWithoutValueIsRejected() {
    assertThatThrownBy(() -> Json.parse("{\"framework_id\":{},\"type\":\"TEARDOWN\"}", Call.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("framework_id");
  }

  @Test
  void resourceWithoutItsValueIsRejected() {
    assertThatThrownBy(() -> Json.parse("{\"name\":\"cpus\",\"type\":\"SCALAR\"}", Resource.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("SCALAR without 'scalar'");
  }

  @Test
  void malformedJsonSaysSo() {
    assertThatThrownBy(() -> Json.parse("{\"type\": \"SUBSCRIBE\",", Call.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Malformed JSON");
    assertThatThrownBy(() -> Json.parse("{\"type\": SUBSCRIBE}", Call.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Malformed JSON");
  }

  @Test
  void trailingGarbageIsMalformed() {
    assertThatThrownBy(() -> Json.parse("{\"type\":\"HEARTBEAT\"} {}", Event.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Malformed JSON");
  }

  @Test
  void emptyBodyAndNullAreErrors() {
    assertThatThrownBy(() -> Json.parse("", Call.class)).isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> Json.parse("null", Call.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("null");
  }

  @Test
  void invalidBase64UuidIsAnErrorNamingTheField() {
    String doc = """
        {"type":"ACKNOWLEDGE","acknowledge":{"agent_id":{"value":"a"},"task_id":{"value":"t"},
         "uuid":"not base64!"}}""";
    assertThatThrownBy(() -> Json.parse(doc, Call.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'acknowledge.uuid'")
        .hasMessageContaining("base64");
  }

  @Test
  void unpaddedBase64IsAcceptedAndWrittenPadded() {
    // The docs' ACKNOWLEDGE example shows a 22-character uuid without padding.
    String doc = "{\"type\":\"ACKNOWLEDGE\",\"acknowledge\":{\"uuid\":\"0GZXSb3VRO+cf6Ui1dzgSw\"}}";
    Call call = Json.parse(doc, Call.class);
    assertThat(call.acknowledge().uuid().size()).isEqualTo(16);
    assertThat(Json.toString(call)).contains("\"uuid\":\"0GZXSb3VRO+cf6Ui1dzgSw==\"");
  }

  @Test
  void bytesHaveValueEquality() {
    Bytes a = Bytes.fromBase64("AAEC");
    assertThat(a).isEqualTo(Bytes.of(new byte[] {0, 1, 2})).hasSameHashCodeAs(Bytes.of(new byte[] {0, 1, 2}));
    assertThat(Bytes.randomUuid().size()).isEqualTo(16);
    assertThat(Bytes.randomUuid()).isNotEqualTo(Bytes.randomUuid());
    byte[] raw = a.toArray();
    raw[0] = 9;
    assertThat(a.hex()).isEqualTo("000102");
  }

  @Test
  void emptyAndAbsentFieldsAreNotWritten() {
    Call call = Call.kill(FrameworkId.of("F"), dev.terrace.common.model.TaskId.of("t"), null);
    assertThat(Json.toString(call))
        .isEqualTo("{\"framework_id\":{\"value\":\"F\"},\"type\":\"KILL\",\"kill\":{\"task_id\":{\"value\":\"t\"}}}");
  }

  @Test
  void absentShellKeepsItsProtoDefaultAndIsNotInvented() {
    // CommandInfo.shell defaults to true in mesos.proto; an absent field must stay absent.
    CommandInfo command = Json.parse("{\"value\":\"/bin/true\"}", CommandInfo.class);
    assertThat(command.shell()).isNull();
    assertThat(command.isShell()).isTrue();
    assertThat(Json.toString(command)).isEqualTo("{\"value\":\"/bin/true\"}");
    CommandInfo argv = Json.parse("{\"shell\":false,\"value\":\"ls\",\"arguments\":[\"ls\",\"-l\"]}",
        CommandInfo.class);
    assertThat(argv.isShell()).isFalse();
    assertThat(Json.toString(argv)).contains("\"shell\":false");
  }

  @Test
  void offersMustBeNestedAsInTheProto() {
    // The Mesos docs show "offers": [...]; scheduler.proto nests them as offers.offers.
    assertThatThrownBy(() -> Json.parse("{\"type\":\"OFFERS\",\"offers\":[]}", Event.class))
        .isInstanceOf(WireFormatException.class)
        .hasMessageStartingWith("Invalid field 'offers'");
  }

  @Test
  void documentsFromFilesParseFromBytesAndStringsAlike() {
    byte[] doc = load("call-accept-launch.json");
    assertThat(Json.parse(new String(doc, java.nio.charset.StandardCharsets.UTF_8), Call.class))
        .isEqualTo(Json.parse(doc, Call.class));
  }
}
