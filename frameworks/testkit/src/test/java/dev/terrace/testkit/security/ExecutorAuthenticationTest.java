package dev.terrace.testkit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.AgentServer;
import dev.terrace.agent.auth.AgentSecurity;
import dev.terrace.agent.executor.ExecutorTokens;
import dev.terrace.agent.sandbox.SandboxLayout;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import dev.terrace.testkit.RecordingScheduler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With --authenticate-http-executors an executor speaks on the agent's executor API only with its
 * own token: the echo executor (which sends MESOS_EXECUTOR_AUTHENTICATION_TOKEN) subscribes and
 * runs a task; a call without a token or with a forged one is a 401; a genuine token of another
 * executor is a 403.
 */
class ExecutorAuthenticationTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void onlyAnExecutorsOwnTokenLetsItCallTheExecutorApi() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder()
        .containerizer(Containerizers.hostProcesses())
        .agentSecurity(AgentSecurity.open().withExecutorAuthentication(true)).start()) {
      RecordingScheduler s = new RecordingScheduler();
      try (SchedulerClient c = SchedulerClient.builder(cluster.zkUrl(),
          FrameworkInfo.of("t", "executor-auth"), s).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> s.offerWith(1, 256).isPresent());
        Offer offer = s.offerWith(1, 256).orElseThrow();
        String role = offer.allocationInfo().role();
        ExecutorId eid = ExecutorId.of("echo-auth");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ExecutorInfo executor = ExecutorInfo.custom(eid, CommandInfo.shell(java + " -Xmx64m -cp '"
            + System.getProperty("java.class.path") + "' dev.terrace.testkit.EchoExecutor"),
            List.of(Resource.scalar("cpus", 0.1).withAllocationRole(role),
                Resource.scalar("mem", 128).withAllocationRole(role)));
        TaskId task = TaskId.of("authenticated-" + System.nanoTime());
        c.launch(offer, List.of(TaskInfo.forExecutor("t", task, offer.agentId(),
            List.of(Resource.scalar("cpus", 0.1).withAllocationRole(role),
                Resource.scalar("mem", 32).withAllocationRole(role)), executor, null))).join();
        await().atMost(Duration.ofSeconds(60)).until(() -> s.states(task).contains(TaskState.TASK_RUNNING)
            || s.terminal(task).isPresent());
        assertThat(s.states(task)).contains(TaskState.TASK_RUNNING);

        AgentServer agent = cluster.agents().get(0);
        FrameworkId fw = s.subscriptions.get(0);
        String heartbeat = "{\"type\":\"HEARTBEAT\",\"framework_id\":{\"value\":\"" + fw.value()
            + "\"},\"executor_id\":{\"value\":\"" + eid.value() + "\"}}";
        HttpResponse<String> none = heartbeat(agent, heartbeat, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
            v -> assertThat(v).startsWith("Bearer"));
        assertThat(heartbeat(agent, heartbeat, "garbage").statusCode()).isEqualTo(401);

        Path otherKey = Files.createTempFile("other-agent", ".key");
        Files.delete(otherKey);
        try {
          String forged = ExecutorTokens.load(otherKey).issue(fw, eid, "any");
          assertThat(heartbeat(agent, heartbeat, forged).statusCode()).isEqualTo(401);
        } finally {
          Files.deleteIfExists(otherKey);
        }
        ExecutorTokens agentKey =
            ExecutorTokens.load(new SandboxLayout(agent.workDir()).executorTokenKey());
        String ofAnother = agentKey.issue(fw, ExecutorId.of("another-executor"), "another");
        HttpResponse<String> forbidden = heartbeat(agent, heartbeat, ofAnother);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.body()).contains("another-executor", "cannot act for executor echo-auth");
        assertThat(s.states(task)).doesNotContain(TaskState.TASK_FAILED, TaskState.TASK_LOST);
        c.kill(task, offer.agentId()).join();
        await().atMost(Duration.ofSeconds(30)).until(() -> s.states(task).contains(TaskState.TASK_KILLED));
      }
    }
  }

  private HttpResponse<String> heartbeat(AgentServer agent, String body, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(agent.url() + "/api/v1/executor"))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
