package dev.terrace.master.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.json.Json;
import dev.terrace.common.scheduler.Call;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.protobuf.MesosProtobuf;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Malformed, truncated, type-confused and random input to the scheduler API (JSON and protobuf)
 * and the operator API of a real master: never a 5xx (a 501 names a call not implemented yet),
 * always a message, and a refused call changes nothing (the frameworks, weights and quota stay).
 */
class EndpointFuzzTest {
  private static MasterServer master;
  private static HttpClient http;
  private static String base;

  /** Valid scheduler calls; framework "fw-unknown" is not subscribed, so only SUBSCRIBE can act. */
  private static final String[] SCHEDULER_CALLS = {
      "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\",\"name\":\"n\",\"roles\":[\"a\"],"
          + "\"capabilities\":[{\"type\":\"MULTI_ROLE\"}],\"failover_timeout\":10}}}",
      "{\"framework_id\":{\"value\":\"fw-unknown\"},\"type\":\"ACCEPT\",\"accept\":{\"offer_ids\":[{\"value\":\"o1\"}],"
          + "\"operations\":[{\"type\":\"LAUNCH\",\"launch\":{\"task_infos\":[{\"name\":\"t\",\"task_id\":{\"value\":\"t1\"},"
          + "\"agent_id\":{\"value\":\"a1\"},\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":1}}],"
          + "\"command\":{\"value\":\"true\",\"user\":\"root\"}}]}}],\"filters\":{\"refuse_seconds\":5}}}",
      "{\"framework_id\":{\"value\":\"fw-unknown\"},\"type\":\"KILL\",\"kill\":{\"task_id\":{\"value\":\"t1\"}}}",
      "{\"framework_id\":{\"value\":\"fw-unknown\"},\"type\":\"ACKNOWLEDGE\",\"acknowledge\":{\"agent_id\":{\"value\":\"a\"},"
          + "\"task_id\":{\"value\":\"t\"},\"uuid\":\"AAAA\"}}",
      "{\"framework_id\":{\"value\":\"fw-unknown\"},\"type\":\"RECONCILE\",\"reconcile\":{\"tasks\":[{\"task_id\":{\"value\":\"t\"}}]}}",
  };

  private static final String[] OPERATOR_CALLS = {
      "{\"type\":\"UPDATE_WEIGHTS\",\"update_weights\":{\"weight_infos\":[{\"role\":\"r\",\"weight\":2.5}]}}",
      "{\"type\":\"UPDATE_QUOTA\",\"update_quota\":{\"quota_configs\":[{\"role\":\"r\",\"guarantees\":{\"cpus\":{\"value\":1}},"
          + "\"limits\":{\"cpus\":{\"value\":2}}}]}}",
      "{\"type\":\"GET_STATE\"}",
      "{\"type\":\"GET_TASKS\"}",
  };

  @BeforeContainer
  static void start() throws Exception {
    master = MasterServer.start(MasterConfig.builder().port(0)
        .workDir(Files.createTempDirectory("terrace-fuzz")).build());
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    base = "http://127.0.0.1:" + master.port();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!master.isLeader() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  @AfterContainer
  static void stop() {
    if (master != null) {
      master.close();
    }
  }

  @Provide
  Arbitrary<byte[]> schedulerJson() {
    Arbitrary<String> valid = Arbitraries.of(SCHEDULER_CALLS);
    Arbitrary<Long> seeds = Arbitraries.longs();
    return Arbitraries.oneOf(
        valid.flatMap(v -> seeds.map(s -> CallMutations.confuseTypes(v, s))),
        valid.flatMap(v -> seeds.map(s -> CallMutations.truncate(v.getBytes(StandardCharsets.UTF_8), s))),
        valid.flatMap(v -> seeds.map(s -> CallMutations.flipBytes(v.getBytes(StandardCharsets.UTF_8), s))),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(2048),
        Arbitraries.strings().ofMaxLength(300).map(s -> s.getBytes(StandardCharsets.UTF_8)));
  }

  @Provide
  Arbitrary<byte[]> schedulerProtobuf() {
    Arbitrary<byte[]> valid = Arbitraries.of(SCHEDULER_CALLS)
        .map(j -> MesosProtobuf.encodeCall(Json.parse(j, Call.class)));
    Arbitrary<Long> seeds = Arbitraries.longs();
    return Arbitraries.oneOf(
        valid.flatMap(v -> seeds.map(s -> CallMutations.truncate(v, s))),
        valid.flatMap(v -> seeds.map(s -> CallMutations.flipBytes(v, s))),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(2048));
  }

  @Provide
  Arbitrary<byte[]> operatorJson() {
    Arbitrary<String> valid = Arbitraries.of(OPERATOR_CALLS);
    Arbitrary<Long> seeds = Arbitraries.longs();
    return Arbitraries.oneOf(
        valid.flatMap(v -> seeds.map(s -> CallMutations.confuseTypes(v, s))),
        valid.flatMap(v -> seeds.map(s -> CallMutations.truncate(v.getBytes(StandardCharsets.UTF_8), s))),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(1024),
        Arbitraries.strings().ofMaxLength(200).map(s -> ("{\"type\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8)));
  }

  @Property(tries = 300)
  void schedulerJsonNeverFailsTheServer(@ForAll("schedulerJson") byte[] body) throws Exception {
    postScheduler(body, "application/json");
  }

  @Property(tries = 200)
  void schedulerProtobufNeverFailsTheServer(@ForAll("schedulerProtobuf") byte[] body) throws Exception {
    postScheduler(body, "application/x-protobuf");
  }

  @Property(tries = 300)
  void operatorNeverFailsTheServerAndRefusalsChangeNothing(@ForAll("operatorJson") byte[] body)
      throws Exception {
    String before = operatorState();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertAcceptable(r.statusCode(), r.body(), body);
    if (r.statusCode() >= 400) {
      assertThat(operatorState()).as("state after a refused call").isEqualTo(before);
    }
  }

  private static void postScheduler(byte[] body, String contentType) throws Exception {
    int frameworksBefore = frameworks();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/scheduler"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", contentType).header("Accept", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    String text;
    try (InputStream in = r.body()) {
      // A 200 is a SUBSCRIBE that was valid after all: its stream is left to end with the socket.
      text = r.statusCode() == 200 ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertAcceptable(r.statusCode(), text, body);
    if (r.statusCode() >= 400) {
      // Not equal: frameworks that valid SUBSCRIBEs left behind expire on their failover timeouts.
      assertThat(frameworks()).as("frameworks after a refused call").isLessThanOrEqualTo(frameworksBefore);
    }
  }

  private static void assertAcceptable(int status, String text, byte[] body) {
    String shown = new String(body, StandardCharsets.UTF_8);
    assertThat(status).as("status for %s: %s", shown, text).isLessThan(500);
    if (status >= 400) {
      assertThat(text).as("error message for %s", shown).isNotBlank();
    }
  }

  /** The number of frameworks; on the way, the views that list them must still answer. */
  private static int frameworks() throws Exception {
    HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create(base + "/master/state")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(state.statusCode()).as("/master/state: %s", state.body()).isEqualTo(200);
    HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(base + "/master/frameworks")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(list.statusCode()).as("/master/frameworks: %s", list.body()).isEqualTo(200);
    return Json.mapper().readTree(list.body()).path("frameworks").size();
  }

  private static String operatorState() throws Exception {
    StringBuilder b = new StringBuilder();
    for (String call : new String[] {"{\"type\":\"GET_WEIGHTS\"}", "{\"type\":\"GET_QUOTA\"}"}) {
      b.append(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call)).build(),
          HttpResponse.BodyHandlers.ofString()).body());
    }
    return b.toString();
  }
}
