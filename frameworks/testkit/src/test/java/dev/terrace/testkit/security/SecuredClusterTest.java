package dev.terrace.testkit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.auth.AgentCredential;
import dev.terrace.agent.auth.AgentSecurity;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.master.auth.MasterSecurity;
import dev.terrace.sdk.SchedulerCallException;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.security.authn.AuthenticationPolicy;
import dev.terrace.security.authn.CredentialsFile;
import dev.terrace.security.authn.HttpCredentials;
import dev.terrace.security.authn.Realm;
import dev.terrace.security.authz.Acls;
import dev.terrace.security.authz.Authorizer;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import dev.terrace.testkit.RecordingScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A locked-down cluster (every realm authenticated on master and agent, restrictive ACLs) through
 * a real ZooKeeper, master, agent and SDK: what is allowed works and what is not is refused with
 * the reason, changing nothing.
 */
class SecuredClusterTest {
  private static final String ACLS = """
      {"register_frameworks": [
         {"principals": {"values": ["fw1"]}, "roles": {"values": ["batch"]}},
         {"principals": {"type": "ANY"}, "roles": {"type": "NONE"}}],
       "run_tasks": [
         {"principals": {"values": ["fw1"]}, "users": {"values": ["nobody"]}},
         {"principals": {"type": "ANY"}, "users": {"type": "NONE"}}],
       "update_weights": [
         {"principals": {"values": ["ops"]}, "roles": {"type": "ANY"}},
         {"principals": {"type": "ANY"}, "roles": {"type": "NONE"}}],
       "launch_nested_container_sessions": [
         {"principals": {"values": ["ops"]}, "users": {"type": "ANY"}},
         {"principals": {"type": "ANY"}, "users": {"type": "NONE"}}]}""";

  @TempDir
  Path dir;
  private CredentialsFile credentials;
  private InProcessCluster cluster;
  private SchedulerClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Path file = dir.resolve("credentials.json");
    Files.writeString(file, "{\"credentials\":[{\"principal\":\"ops\",\"secret\":\"ops-secret\"},"
        + "{\"principal\":\"fw1\",\"secret\":\"fw1-secret\"},{\"principal\":\"agent\",\"secret\":\"agent-secret\"}]}");
    credentials = CredentialsFile.watch(file, Duration.ofSeconds(1));
    Authorizer authorizer = new Authorizer(Acls.parse(ACLS.getBytes()));
    MasterSecurity master = new MasterSecurity(new AuthenticationPolicy(EnumSet.of(Realm.FRAMEWORK,
        Realm.AGENT, Realm.READONLY, Realm.READWRITE), credentials), authorizer, null, false);
    AgentSecurity agent = new AgentSecurity(new AgentCredential("agent", "agent-secret"), null,
        new AuthenticationPolicy(EnumSet.of(Realm.READONLY, Realm.READWRITE), credentials), authorizer, null);
    cluster = InProcessCluster.builder().workDir(dir.resolve("cluster"))
        .containerizer(Containerizers.hostProcesses())
        .masterConfig(b -> b.security(master)).agentSecurity(agent).start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    credentials.close();
  }

  private String masterUrl() throws InterruptedException {
    return cluster.awaitLeader().url();
  }

  private HttpResponse<String> operator(String principal, String secret, String call) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(masterUrl() + "/api/v1"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(call));
    if (principal != null) {
      b.header("Authorization", HttpCredentials.basic(principal, secret));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static FrameworkInfo framework(String role, String principal) {
    return new FrameworkInfo("nobody", "secured-test", null, null, null, role, List.of(), null,
        principal, null, null, null);
  }

  private static TaskInfo task(TaskId id, Offer offer, String user) {
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    CommandInfo c = CommandInfo.shell("sleep 600");
    c = new CommandInfo(c.uris(), c.environment(), c.shell(), c.value(), c.arguments(), user);
    return TaskInfo.command(id.value(), id, offer.agentId(),
        List.of(Resource.scalar("cpus", 0.1).withAllocationRole(role),
            Resource.scalar("mem", 32).withAllocationRole(role)), c);
  }

  @Test
  void allowedCallsWorkAndOthersAreRefusedWithTheirReason() throws Exception {
    // The agent got in over its authenticated channel.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(operator("ops", "ops-secret",
        "{\"type\":\"GET_AGENTS\"}").body()).contains("agent_info"));

    RecordingScheduler scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), framework("batch", "fw1"), scheduler)
        .credential("fw1", "fw1-secret").build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
    Offer offer = scheduler.latestOffer().orElseThrow();

    TaskId asRoot = TaskId.of("root-" + UUID.randomUUID());
    assertThatThrownBy(() -> client.launch(offer, List.of(task(asRoot, offer, "root"))).join())
        .isInstanceOf(CompletionException.class).cause().isInstanceOf(SchedulerCallException.class)
        .hasMessageContaining("403")
        .hasMessageContaining("Principal 'fw1' is not authorized to run tasks (users: 'root')");
    TaskId allowed = TaskId.of("nobody-" + UUID.randomUUID());
    client.launch(offer, List.of(task(allowed, offer, null))).join();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> scheduler.states(allowed).contains(TaskState.TASK_RUNNING));
    assertThat(scheduler.states(asRoot)).isEmpty();

    // exec on the agent: authenticated, then judged by launch_nested_container_sessions.
    URI exec = URI.create(cluster.agents().get(0).url().replace("http://", "ws://")
        + "/api/v1/exec?task_id=" + allowed.value());
    WebSocket.Listener quiet = new WebSocket.Listener() { };
    assertThatThrownBy(() -> http.newWebSocketBuilder().buildAsync(exec, quiet).join())
        .hasStackTraceContaining("status code 401");
    assertThatThrownBy(() -> http.newWebSocketBuilder()
        .header("Authorization", HttpCredentials.basic("fw1", "fw1-secret")).buildAsync(exec, quiet).join())
        .hasStackTraceContaining("status code 403");
    http.newWebSocketBuilder().header("Authorization", HttpCredentials.basic("ops", "ops-secret"))
        .buildAsync(exec, quiet).join().abort();

    // Operator writes: ops may set weights, fw1 may not, and its refusal changes nothing.
    String update = "{\"type\":\"UPDATE_WEIGHTS\",\"update_weights\":{\"weight_infos\":[{\"role\":\"batch\",\"weight\":%s}]}}";
    var denied = operator("fw1", "fw1-secret", update.formatted("9"));
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).isEqualTo("Principal 'fw1' is not authorized to update weights (roles: 'batch')");
    assertThat(operator("ops", "ops-secret", "{\"type\":\"GET_WEIGHTS\"}").body()).doesNotContain("\"weight\":9");
    assertThat(operator("ops", "ops-secret", update.formatted("3")).statusCode()).isEqualTo(200);
    assertThat(operator("ops", "ops-secret", "{\"type\":\"GET_WEIGHTS\"}").body()).contains("\"weight\":3");
    assertThat(operator(null, null, "{\"type\":\"GET_WEIGHTS\"}").statusCode()).isEqualTo(401);
  }

  @Test
  void aFrameworkCannotRegisterInARoleItsAclsDoNotGrant() throws Exception {
    String call = "{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":"
        + "{\"user\":\"nobody\",\"name\":\"x\",\"role\":\"prod\",\"principal\":\"fw1\"}}}";
    var r = http.send(HttpRequest.newBuilder(URI.create(masterUrl() + "/api/v1/scheduler"))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .header("Authorization", HttpCredentials.basic("fw1", "fw1-secret"))
        .POST(HttpRequest.BodyPublishers.ofString(call)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("Principal 'fw1' is not authorized to register frameworks (roles: 'prod')");
    assertThat(operator("ops", "ops-secret", "{\"type\":\"GET_FRAMEWORKS\"}").body())
        .contains("\"frameworks\":[]");
  }
}
