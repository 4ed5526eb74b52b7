package dev.terrace.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.common.json.Bytes;
import dev.terrace.common.json.Json;
import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.scheduler.Call;
import dev.terrace.master.MasterServer;
import dev.terrace.testkit.InProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The invariants every fault of the suite must keep, checked from what a framework and an operator
 * can observe:
 *
 * <ol type="a">
 *   <li><b>No update that needed an acknowledgement is lost</b>: at the end every launched task
 *       has had its terminal update delivered, or an explicit reconciliation answers a live state
 *       that is the same as the last update the framework received.
 *   <li><b>No task is launched twice</b>: every task reports STARTING/RUNNING from one agent only
 *       (the one it was launched on) and from one container only (several STARTING updates
 *       may come, as an image pull reports progress, but all from one container); the master
 *       never lists one task id twice.
 *   <li><b>No resource is allocated twice</b>: at every observation of the leading master's
 *       {@code /master/state} (polled all through the test), for every agent and every scalar,
 *       offered + used &le; total.
 * </ol>
 *
 * Plus: every update is handed to the scheduler exactly once (no uuid twice).
 */
final class InvariantChecker implements AutoCloseable {
  private static final double EPSILON = 1e-6;
  private static final List<String> SCALARS = List.of("cpus", "mem", "disk", "gpus");

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private final Supplier<Optional<String>> leaderUrl;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fault-invariants");
    t.setDaemon(true);
    return t;
  });
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicInteger observations = new AtomicInteger();

  /** Starts observing the master that {@code leaderUrl} names at the time (none while there is none). */
  InvariantChecker(Supplier<Optional<String>> leaderUrl) {
    this.leaderUrl = leaderUrl;
    poller.scheduleWithFixedDelay(this::observe, 0, 200, TimeUnit.MILLISECONDS);
  }

  /** Observes whichever master of {@code cluster} leads at the time. */
  static InvariantChecker on(InProcessCluster cluster) {
    return new InvariantChecker(() -> cluster.leader().map(MasterServer::url));
  }

  private void observe() {
    JsonNode state;
    try {
      Optional<String> url = leaderUrl.get();
      if (url.isEmpty()) {
        return;
      }
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url.get() + "/master/state"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return; // a standby (redirect) or a master between roles: nothing to observe
      }
      state = Json.mapper().readTree(r.body());
    } catch (Exception e) {
      return; // the fault itself (a killed or cut-off master): no observation this time
    }
    int n = observations.incrementAndGet();
    for (JsonNode agent : state.path("slaves")) {
      for (String name : SCALARS) {
        double total = agent.path("resources").path(name).asDouble();
        double used = agent.path("used_resources").path(name).asDouble();
        double offered = agent.path("offered_resources").path(name).asDouble();
        if (offered + used > total + EPSILON) {
          violations.add(String.format("observation %d, agent %s, %s: offered %s + used %s > total %s",
              n, agent.path("id").asText(), name, offered, used, total));
        }
      }
    }
    Set<String> tasks = new HashSet<>();
    for (JsonNode fw : state.path("frameworks")) {
      for (JsonNode t : fw.path("tasks")) {
        if (!tasks.add(t.path("id").asText())) {
          violations.add("observation " + n + ": task " + t.path("id").asText() + " listed twice");
        }
      }
    }
  }

  /** Stops observing and asserts every invariant over what {@code framework} recorded. */
  void verify(FaultFramework framework) {
    // One more observation at the end, so a test that ran faster than the poll still has one.
    poller.shutdown();
    try {
      poller.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    await("an observation of the leading master").atMost(Duration.ofSeconds(60)).until(() -> {
      observe();
      return observations.get() > 0;
    });
    assertThat(violations).as("double allocations seen at the master").isEmpty();
    List<TaskStatus> updates = List.copyOf(framework.scheduler.updates);
    assertDeliveredOnce(updates);
    framework.launched().forEach((task, agent) -> assertLaunchedOnce(task, agent, updates));
    assertNothingLost(framework);
  }

  private static void assertDeliveredOnce(List<TaskStatus> updates) {
    Set<Bytes> seen = new HashSet<>();
    for (TaskStatus u : updates) {
      if (u.uuid() != null) {
        assertThat(seen.add(u.uuid())).as("update %s of %s delivered twice", u.state(), u.taskId()).isTrue();
      }
    }
  }

  private static void assertLaunchedOnce(TaskId task, AgentId agent, List<TaskStatus> updates) {
    List<TaskStatus> live = updates.stream().filter(u -> u.taskId().equals(task)
        && (u.state() == TaskState.TASK_STARTING || u.state() == TaskState.TASK_RUNNING)).toList();
    assertThat(live.stream().map(TaskStatus::agentId).distinct())
        .as("agents where %s started or ran", task).allMatch(agent::equals);
    assertThat(live.stream().filter(u -> u.containerStatus() != null && u.containerStatus().containerId() != null)
        .map(u -> u.containerStatus().containerId()).distinct())
        .as("containers of %s", task).hasSizeLessThanOrEqualTo(1);
  }

  /**
   * Tasks without a terminal update are reconciled explicitly: the master must know them, live,
   * and the framework's last update must say the same (an update the framework never got, such as
   * a terminal one lost in the fault, would show as a difference).
   */
  private static void assertNothingLost(FaultFramework framework) {
    Map<TaskId, AgentId> open = new java.util.HashMap<>();
    framework.launched().forEach((task, agent) -> {
      if (framework.scheduler.terminal(task).isEmpty()) {
        open.put(task, agent);
      }
    });
    if (open.isEmpty()) {
      return;
    }
    int mark = framework.scheduler.updates.size();
    List<Call.Reconcile.ReconcileTask> asked = new ArrayList<>();
    open.forEach((task, agent) -> asked.add(new Call.Reconcile.ReconcileTask(task, agent)));
    framework.client.reconcile(asked).join();
    for (TaskId task : open.keySet()) {
      await("reconciliation of " + task).atMost(Duration.ofSeconds(60))
          .until(() -> answer(framework, task, mark).isPresent());
      TaskState answered = answer(framework, task, mark).orElseThrow().state();
      assertThat(answered.isTerminal() || answered == TaskState.TASK_UNKNOWN)
          .as("%s reconciled %s, but the framework got no terminal update", task, answered).isFalse();
      await(task + ": last update agrees with reconciliation (" + answered + ")")
          .atMost(Duration.ofSeconds(60)).until(() -> lastUpdate(framework, task) == answered);
    }
  }

  private static Optional<TaskStatus> answer(FaultFramework framework, TaskId task, int mark) {
    return framework.scheduler.updates.stream().skip(mark).filter(u -> u.taskId().equals(task)
        && u.reason() == TaskStatus.Reason.REASON_RECONCILIATION).findFirst();
  }

  private static TaskState lastUpdate(FaultFramework framework, TaskId task) {
    return framework.scheduler.updates.stream().filter(u -> u.taskId().equals(task)
        && u.reason() != TaskStatus.Reason.REASON_RECONCILIATION)
        .map(TaskStatus::state).reduce((a, b) -> b).orElse(null);
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
