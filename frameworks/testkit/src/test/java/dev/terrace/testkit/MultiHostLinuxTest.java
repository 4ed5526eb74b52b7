package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.NetworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.model.Value;
import dev.terrace.common.scheduler.Call;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.testkit.hosts.AgentProcess;
import dev.terrace.testkit.hosts.MultiHostCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two hosts, each a network namespace with its own address on one switch and its own agent JVM
 * with real containers: a bridge-mode service with a port mapping on host a is reached from a task
 * on host b at a's address and the mapped port; a partition of host a makes the master report its
 * task unreachable, and healing it brings the agent back with the task running again.
 */
@Tag("linux")
class MultiHostLinuxTest {
  private static final String RESOURCES = "cpus:1;mem:512;disk:1024;ports:[31000-31010]";
  private final HttpClient http = HttpClient.newHttpClient();
  private MultiHostCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;

  @BeforeEach
  void requirements() {
    RealContainers.assume();
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")),
        "containernetworking-plugins missing; skipped");
  }

  private void start(java.util.function.UnaryOperator<dev.terrace.master.MasterConfig.Builder> master)
      throws Exception {
    cluster = MultiHostCluster.start(2, RESOURCES, master);
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.masterUrl(), FrameworkInfo.of("root", "hosts-test")
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE), scheduler).build().start();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private Offer offerOn(AgentProcess agent) {
    String host = agent.host().address();
    await().atMost(Duration.ofSeconds(60)).until(() -> find(host).isPresent());
    Offer o = find(host).orElseThrow();
    scheduler.rescinded.add(o.id()); // used: never pick it twice
    return o;
  }

  private Optional<Offer> find(String hostname) {
    for (int i = scheduler.offers.size() - 1; i >= 0; i--) {
      Offer o = scheduler.offers.get(i);
      if (o.hostname().equals(hostname) && !scheduler.rescinded.contains(o.id())) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  private static TaskInfo task(TaskId id, Offer offer, String command, Long hostPort,
      int containerPort) {
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    List<Resource> res = new java.util.ArrayList<>(List.of(
        Resource.scalar("cpus", 0.1).withAllocationRole(role),
        Resource.scalar("mem", 32).withAllocationRole(role)));
    List<NetworkInfo.PortMapping> mappings = List.of();
    if (hostPort != null) {
      res.add(Resource.ranges("ports", List.of(new Value.Range(hostPort, hostPort)))
          .withAllocationRole(role));
      mappings = List.of(new NetworkInfo.PortMapping(hostPort, containerPort, "tcp"));
    }
    return TaskInfo.command(id.value(), id, offer.agentId(), res, CommandInfo.shell(command))
        .withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null, null,
            List.of(new NetworkInfo(null, "terrace", null, null, mappings))));
  }

  private TaskStatus awaitState(TaskId id, TaskState state) {
    await().atMost(Duration.ofSeconds(90)).until(() -> scheduler.states(id).contains(state));
    return scheduler.updates.stream().filter(u -> u.taskId().equals(id) && u.state() == state)
        .reduce((a, b) -> b).orElseThrow();
  }

  private JsonNode masterState() throws Exception {
    return Json.mapper().readTree(http.send(HttpRequest.newBuilder(
        URI.create(cluster.masterUrl() + "/master/state")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
  }

  private JsonNode taskInState(TaskId id) throws Exception {
    for (JsonNode fw : masterState().path("frameworks")) {
      for (JsonNode t : fw.path("tasks")) {
        if (t.path("id").asText().equals(id.value())) {
          return t;
        }
      }
    }
    return Json.mapper().createObjectNode();
  }

  @Test
  void aBridgeServiceOnOneHostIsReachedFromATaskOnAnotherAtTheMappedHostPort() throws Exception {
    start(b -> b);
    AgentProcess a = cluster.agents().get(0);
    AgentProcess b = cluster.agents().get(1);

    TaskId web = Tasks.newId("web");
    Offer onA = offerOn(a);
    client.launch(onA, List.of(task(web, onA, "echo served-from-$MESOS_TASK_ID > index.html;"
        + " exec busybox httpd -f -p 8080 -h $MESOS_SANDBOX", 31005L, 8080))).join();
    TaskStatus running = awaitState(web, TaskState.TASK_RUNNING);
    NetworkInfo info = running.containerStatus().networkInfos().get(0);
    assertThat(info.name()).isEqualTo("terrace");
    assertThat(info.ipAddresses().get(0).ipAddress()).startsWith("172.29.10.");
    assertThat(info.portMappings()).containsExactly(new NetworkInfo.PortMapping(31005, 8080, "tcp"));

    // The host port is visible in /master/state: the task's ports and its container's mapping.
    JsonNode inState = taskInState(web);
    assertThat(inState.toString()).contains("\"host_port\":31005").contains("\"container_port\":8080");
    assertThat(inState.path("resources").toString()).contains("31005");

    // From a container on host b (its own bridge, masqueraded onto b's address) to a's address.
    TaskId client2 = Tasks.newId("fetch");
    Offer onB = offerOn(b);
    String url = "http://" + a.host().address() + ":31005/index.html";
    client.launch(onB, List.of(task(client2, onB, "for i in $(seq 1 40); do"
        + " busybox wget -q -O - " + url + " | grep served-from-" + web.value() + " && exit 0;"
        + " sleep 0.5; done; exit 1", null, 0))).join();
    TaskStatus fetched = awaitState(client2, TaskState.TASK_FINISHED);
    assertThat(fetched.state()).isEqualTo(TaskState.TASK_FINISHED);
    // What it fetched is in its stdout on host b, read through the master at b's address.
    String log = http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl()
        + "/master/task-log?task_id=" + client2.value() + "&file=stdout&offset=0")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(Json.mapper().readTree(log).path("data").asText()).contains("served-from-" + web.value());

    client.kill(web, onA.agentId()).join();
    awaitState(web, TaskState.TASK_KILLED);
    // Its network is released on host a: no container namespace or IP lease is left.
    awaitNetworksReleased(a);
    assertThat(cluster.network().exec(a.host(), "iptables-save", "-t", "nat")).doesNotContain("31005");
  }

  @Test
  void aPartitionedHostIsUnreachableAndComesBackWithItsTaskRunning() throws Exception {
    start(b -> b.agentPingTimeout(Duration.ofMillis(500)).maxAgentPingTimeouts(3));
    AgentProcess a = cluster.agents().get(0);
    TaskId id = Tasks.newId("long");
    Offer onA = offerOn(a);
    client.launch(onA, List.of(task(id, onA, "sleep 600", null, 0))).join();
    awaitState(id, TaskState.TASK_RUNNING);

    cluster.network().cut(a.host());
    TaskStatus unreachable = awaitState(id, TaskState.TASK_UNREACHABLE);
    assertThat(unreachable.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED);
    await().atMost(Duration.ofSeconds(30))
        .until(() -> masterState().path("unreachable_slaves").asInt() == 1);

    int before = scheduler.updates.size();
    cluster.network().heal(a.host());
    await().atMost(Duration.ofSeconds(90)).until(() -> scheduler.updates.stream().skip(before)
        .anyMatch(u -> u.taskId().equals(id) && u.state() == TaskState.TASK_RUNNING));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        masterState().path("unreachable_slaves").asInt() == 0
        && taskInState(id).path("state").asText().equals("TASK_RUNNING"));

    // Reconciliation agrees: asked explicitly about the task, the master says RUNNING.
    int mark = scheduler.updates.size();
    client.reconcile(List.of(new Call.Reconcile.ReconcileTask(id, onA.agentId()))).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.updates.stream().skip(mark)
        .anyMatch(u -> u.taskId().equals(id) && u.state() == TaskState.TASK_RUNNING));
  }

  @Test
  void aHostGoneForGoodIsMarkedGoneByAnOperatorAndItsTasksAreGone() throws Exception {
    start(b -> b.agentPingTimeout(Duration.ofMillis(500)).maxAgentPingTimeouts(3));
    AgentProcess a = cluster.agents().get(0);
    TaskId id = Tasks.newId("doomed");
    Offer onA = offerOn(a);
    client.launch(onA, List.of(task(id, onA, "sleep 600", 31007L, 8080))).join();
    awaitState(id, TaskState.TASK_RUNNING);

    cluster.network().cut(a.host());
    awaitState(id, TaskState.TASK_UNREACHABLE);
    HttpResponse<String> gone = http.send(HttpRequest.newBuilder(URI.create(cluster.masterUrl() + "/api/v1"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"MARK_AGENT_GONE\",\"mark_agent_gone\":"
            + "{\"agent_id\":{\"value\":\"" + onA.agentId().value() + "\"}}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
    TaskStatus status = awaitState(id, TaskState.TASK_GONE_BY_OPERATOR);
    assertThat(status.reason()).isEqualTo(TaskStatus.Reason.REASON_AGENT_REMOVED_BY_OPERATOR);

    // Should the host come back after all, the master sends it away and it ends its tasks, so
    // their networks go too; the framework hears nothing more of the task.
    int mark = scheduler.updates.size();
    cluster.network().heal(a.host());
    awaitNetworksReleased(a);
    assertThat(scheduler.updates.stream().skip(mark).filter(u -> u.taskId().equals(id))).isEmpty();
  }

  @Test
  void networksOfTasksThatEndAroundAnAgentCrashAreReleased() throws Exception {
    start(b -> b);
    AgentProcess a = cluster.agents().get(0);
    TaskId exits = Tasks.newId("exits");
    TaskId survives = Tasks.newId("survives");
    Offer onA = offerOn(a);
    client.launch(onA, List.of(
        task(exits, onA, "while [ ! -e stop ]; do sleep 0.1; done", 31001L, 8080),
        task(survives, onA, "sleep 600", 31002L, 8080))).join();
    awaitState(exits, TaskState.TASK_RUNNING);
    awaitState(survives, TaskState.TASK_RUNNING);
    Path network = a.workDir().resolve("network");
    assertThat(Files.list(network.resolve("attachments")).count()).isEqualTo(2);

    a.crash();
    Files.createFile(a.sandbox(exits.value()).resolve("stop"));
    // conmon, not the agent, records the exit: the task is gone before the agent is back.
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.list(a.workDir().resolve("exits"))
        .findAny().isPresent());
    a.start(Duration.ofSeconds(90));

    awaitState(exits, TaskState.TASK_FINISHED);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.list(network.resolve("attachments")).count() == 1
        && Files.list(network.resolve("netns")).count() == 1);
    String nat = cluster.network().exec(a.host(), "iptables-save", "-t", "nat");
    assertThat(nat).doesNotContain("31001").contains("31002");

    client.kill(survives, onA.agentId()).join();
    awaitState(survives, TaskState.TASK_KILLED);
    awaitNetworksReleased(a);
    assertThat(cluster.network().exec(a.host(), "iptables-save", "-t", "nat")).doesNotContain("31002");
    assertThat(cluster.network().exec(a.host(), "ip", "-o", "link")).doesNotContain("veth");
    Path leases = network.resolve("ipam").resolve("terrace");
    try (var files = Files.list(leases)) {
      assertThat(files.map(f -> f.getFileName().toString())).allMatch(n -> !n.startsWith("172."));
    }
  }

  @Test
  void theTasksOfAGroupShareOneAddressOnTheBridge() throws Exception {
    start(b -> b);
    AgentProcess a = cluster.agents().get(0);
    Offer onA = offerOn(a);
    TaskId web = Tasks.newId("gweb");
    TaskId side = Tasks.newId("gside");
    // The sidecar reaches the web task on localhost: one network namespace for the group.
    List<TaskInfo> tasks = List.of(
        task(web, onA, "echo from-group > index.html; exec busybox httpd -f -p 8080 -h $MESOS_SANDBOX",
            31003L, 8080),
        task(side, onA, "for i in $(seq 1 40); do busybox wget -q -O - http://127.0.0.1:8080/index.html"
            + " | grep from-group && exit 0; sleep 0.5; done; exit 1", null, 0));
    client.accept(List.of(onA.id()), List.of(new dev.terrace.common.model.Operation(
        dev.terrace.common.model.Operation.Type.LAUNCH_GROUP, null, null,
        new dev.terrace.common.model.Operation.LaunchGroup(new dev.terrace.common.model.ExecutorInfo(
            dev.terrace.common.model.ExecutorInfo.Type.DEFAULT,
            dev.terrace.common.model.ExecutorId.of("group-" + web.value()),
            null, null, null, null, null, null), new dev.terrace.common.model.TaskGroupInfo(tasks)),
        null, null, null, null, null, null, null, null)), null).join();
    TaskStatus webRunning = awaitState(web, TaskState.TASK_RUNNING);
    TaskStatus sideRunning = awaitState(side, TaskState.TASK_RUNNING);
    assertThat(sideRunning.containerStatus().networkInfos().get(0).ipAddresses())
        .isEqualTo(webRunning.containerStatus().networkInfos().get(0).ipAddresses());
    awaitState(side, TaskState.TASK_FINISHED);
    // The web task keeps the group's namespace (and its mapping) until it ends too.
    assertThat(cluster.network().exec(a.host(), "iptables-save", "-t", "nat")).contains("31003");
    client.kill(web, onA.agentId()).join();
    awaitState(web, TaskState.TASK_KILLED);
    awaitNetworksReleased(a);
  }

  /** Waits until host {@code agent} holds no network of any task: no attachment, no namespace. */
  private static void awaitNetworksReleased(AgentProcess agent) {
    Path network = agent.workDir().resolve("network");
    await().atMost(Duration.ofSeconds(60)).until(() -> isEmpty(network.resolve("attachments"))
        && isEmpty(network.resolve("netns")));
  }

  private static boolean isEmpty(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
