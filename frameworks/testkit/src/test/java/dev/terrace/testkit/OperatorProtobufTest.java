package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.recordio.RecordIODecoder;
import dev.terrace.protobuf.MesosProtobuf;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator API in protobuf (v1 {@code master.proto} through Apache Mesos' generated classes):
 * calls in, answers and SUBSCRIBE events out, and the 406/415 of Mesos for other types.
 */
class OperatorProtobufTest {
  private static final String PROTOBUF = "application/x-protobuf";
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<byte[]> post(String url, String type, String accept, byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/api/v1")).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void callsAnswersAndEventsInProtobuf() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start()) {
      String url = cluster.leader().orElseThrow().url();
      await().atMost(Duration.ofSeconds(20)).until(() -> agents(url).size() == 1);
      String agent = agents(url).get(0).path("agent_info").path("id").path("value").asText();

      // A drained agent's drain_info carries a google.protobuf.Duration; it must survive protobuf.
      HttpResponse<byte[]> drain = post(url, PROTOBUF, null, MesosProtobuf.operatorCallFromJson(
          "{\"type\":\"DRAIN_AGENT\",\"drain_agent\":{\"agent_id\":{\"value\":\"" + agent
              + "\"},\"max_grace_period\":\"1.5s\"}}"));
      assertThat(drain.statusCode()).as(new String(drain.body())).isEqualTo(200);
      HttpResponse<byte[]> got = post(url, PROTOBUF, null, MesosProtobuf.operatorCallFromJson("{\"type\":\"GET_AGENTS\"}"));
      assertThat(got.statusCode()).as(new String(got.body())).isEqualTo(200);
      JsonNode agents = Json.mapper().readTree(MesosProtobuf.operatorResponseToJson(got.body()));
      JsonNode a = agents.path("get_agents").path("agents").path(0);
      assertThat(a.path("agent_info").path("id").path("value").asText()).isEqualTo(agent);
      assertThat(a.path("drain_info").path("config").path("max_grace_period").path("nanoseconds").asLong()).isEqualTo(1_500_000_000L);
      JsonNode state = Json.mapper().readTree(MesosProtobuf.operatorResponseToJson(
          post(url, PROTOBUF, null, MesosProtobuf.operatorCallFromJson("{\"type\":\"GET_STATE\"}")).body()));
      assertThat(state.path("type").asText()).isEqualTo("GET_STATE");
      assertThat(state.path("get_state").path("get_agents").path("agents")).hasSize(1);
      // JSON in, protobuf out (Accept), and the refusals.
      HttpResponse<byte[]> mixed = post(url, "application/json", PROTOBUF, "{\"type\":\"GET_HEALTH\"}".getBytes());
      assertThat(Json.mapper().readTree(MesosProtobuf.operatorResponseToJson(mixed.body()))
          .path("get_health").path("healthy").asBoolean()).isTrue();
      assertThat(post(url, "text/plain", null, "x".getBytes()).statusCode()).isEqualTo(415);
      assertThat(post(url, "application/json", "text/html", "{\"type\":\"GET_HEALTH\"}".getBytes()).statusCode())
          .isEqualTo(406);
      assertThat(post(url, PROTOBUF, null, new byte[] {(byte) 0xff, 0x01}).statusCode()).isEqualTo(400);

      // SUBSCRIBE in protobuf: the first record is SUBSCRIBED with the state.
      HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1"))
          .header("Content-Type", PROTOBUF)
          .POST(HttpRequest.BodyPublishers.ofByteArray(MesosProtobuf.operatorCallFromJson("{\"type\":\"SUBSCRIBE\"}")))
          .build(), HttpResponse.BodyHandlers.ofInputStream());
      List<byte[]> records = new ArrayList<>();
      RecordIODecoder decoder = new RecordIODecoder(64 << 20, records::add);
      byte[] buf = new byte[8192];
      try (InputStream in = stream.body()) {
        while (records.isEmpty()) {
          int n = in.read(buf);
          assertThat(n).isPositive();
          decoder.feed(buf, 0, n);
        }
      }
      org.apache.mesos.v1.master.Protos.Event first = org.apache.mesos.v1.master.Protos.Event.parseFrom(records.get(0));
      assertThat(first.getType()).isEqualTo(org.apache.mesos.v1.master.Protos.Event.Type.SUBSCRIBED);
      assertThat(first.getSubscribed().getGetState().getGetAgents().getAgentsCount()).isEqualTo(1);
    }
  }

  private List<JsonNode> agents(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"GET_AGENTS\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    List<JsonNode> out = new ArrayList<>();
    Json.mapper().readTree(r.body()).path("get_agents").path("agents").forEach(out::add);
    return out;
  }
}
