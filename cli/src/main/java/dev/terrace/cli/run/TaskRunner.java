package dev.terrace.cli.run;

import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.NetworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.common.resources.Resources;
import dev.terrace.common.scheduler.Call;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one command as a task, the way {@code terrace run} does: subscribes as a short-lived
 * framework, launches on the first offer that fits, reports state changes and copies the task's
 * output, then tears the framework down and returns the task's exit code ({@link ExitCodes}).
 */
public final class TaskRunner implements Scheduler {
  /** Offers we cannot use go back for a while, so the allocator offers them to others. */
  private static final Filters DECLINE = new Filters(30.0);
  /** Once launched we want no more offers at all. */
  private static final Filters DECLINE_AFTER_LAUNCH = new Filters(3600.0);
  /** Long enough to ride out a master failover; after it the master kills an orphaned task. */
  private static final double FAILOVER_TIMEOUT_SECONDS = 60;
  private static final Duration TEARDOWN_WAIT = Duration.ofSeconds(5);

  private final RunSpec spec;
  private final PrintStream out;
  private final PrintStream err;
  private final HttpClient http;
  private final TaskId taskId = TaskId.of("run-" + UUID.randomUUID().toString().substring(0, 8));
  private final Resources need;

  private final CompletableFuture<Void> launched = new CompletableFuture<>();
  private final CompletableFuture<TaskStatus> terminal = new CompletableFuture<>();

  // Touched only on the SDK's event thread (callbacks are serialized), read by run() after the
  // futures above complete, which orders the writes before the reads.
  private volatile SchedulerClient client;
  private volatile FrameworkId frameworkId;
  private volatile Offer launchedOn;
  private volatile SandboxLogs logs;
  private volatile String lastDisconnect;
  private TaskState lastState;
  private boolean toldWaiting;

  public TaskRunner(RunSpec spec, PrintStream out, PrintStream err) {
    this.spec = spec;
    this.out = out;
    this.err = err;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    this.need = Resources.of(Resource.scalar("cpus", spec.cpus()), Resource.scalar("mem", spec.memMb()));
  }

  public TaskId taskId() {
    return taskId;
  }

  /** Runs the task to its end and returns the exit code for the process. */
  public int run() {
    SchedulerClient c;
    try {
      c = SchedulerClient.builder(spec.master(), frameworkInfo(), this).build();
    } catch (IllegalArgumentException e) {
      err.println("terrace: cannot use master " + spec.master() + ": " + e.getMessage());
      return ExitCodes.NOT_LAUNCHED;
    }
    client = c;
    // Ctrl-C must not leave the task running on the cluster: tearing the framework down kills it.
    Thread hook = new Thread(() -> {
      if (!terminal.isDone()) {
        teardown(c);
      }
    }, "terrace-run-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (c) {
      c.start();
      int notLaunched = awaitLaunch(c);
      if (notLaunched != 0) {
        return notLaunched;
      }
      TaskStatus status;
      try {
        status = terminal.get();
      } catch (ExecutionException e) {
        stopLogs(false);
        err.println("terrace: lost track of task " + taskId + ": " + e.getCause().getMessage());
        teardown(c);
        return 1;
      }
      stopLogs(true);
      teardown(c);
      int code = ExitCodes.forStatus(status);
      if (code == ExitCodes.NOT_LAUNCHED) {
        err.println("terrace: task " + taskId + " could not be launched: " + status.state()
            + (status.message() == null ? "" : " (" + status.message() + ")"));
      }
      return code;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      teardown(c);
      return ExitCodes.NOT_LAUNCHED;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook is running or ran.
      }
    }
  }

  /** Waits until the master accepted the launch; returns 0 then, else the exit code to give up with. */
  private int awaitLaunch(SchedulerClient c) throws InterruptedException {
    try {
      if (spec.launchTimeout().isZero()) {
        launched.get();
      } else {
        launched.get(spec.launchTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      return 0;
    } catch (TimeoutException e) {
      long seconds = spec.launchTimeout().toSeconds();
      if (frameworkId == null) {
        err.println("terrace: master " + spec.master() + " unreachable for " + seconds + "s"
            + (lastDisconnect == null ? "" : ": " + lastDisconnect));
      } else {
        err.println("terrace: no offer with " + need + " within " + seconds + "s; task not launched");
      }
    } catch (ExecutionException e) {
      err.println("terrace: task not launched: " + e.getCause().getMessage());
    }
    teardown(c);
    return ExitCodes.NOT_LAUNCHED;
  }

  private FrameworkInfo frameworkInfo() {
    return new FrameworkInfo(System.getProperty("user.name"), "terrace-run", null,
        FAILOVER_TIMEOUT_SECONDS, null, null, null, null, null, null, null, null)
        // PARTITION_AWARE: a launch that never happens comes back as TASK_DROPPED, not TASK_LOST.
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)
        .withCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
  }

  @Override
  public void subscribed(FrameworkId id, MasterInfo masterInfo) {
    frameworkId = id;
    if (launchedOn != null) {
      // Resubscribed after a disconnection: updates may have been missed meanwhile.
      client.reconcile(List.of(new Call.Reconcile.ReconcileTask(taskId, launchedOn.agentId())));
    } else if (!toldWaiting) {
      toldWaiting = true;
      err.println("terrace: waiting for an offer with " + need);
    }
  }

  @Override
  public void offers(List<Offer> offers) {
    List<OfferId> unused = new ArrayList<>();
    for (Offer offer : offers) {
      if (launchedOn == null && !launched.isDone() && fits(offer)) {
        launch(offer);
      } else {
        unused.add(offer.id());
      }
    }
    if (!unused.isEmpty()) {
      client.decline(unused, launchedOn == null ? DECLINE : DECLINE_AFTER_LAUNCH);
    }
  }

  private boolean fits(Offer offer) {
    try {
      return Resources.of(offer.resources()).contains(need) && hostPorts(offer).isPresent();
    } catch (IllegalArgumentException e) {
      return false; // an offer we cannot read is an offer we cannot use
    }
  }

  /** The host ports this offer gives the published ports; empty when it cannot. */
  private java.util.Optional<List<NetworkInfo.PortMapping>> hostPorts(Offer offer) {
    if (spec.ports().isEmpty()) {
      return java.util.Optional.of(List.of());
    }
    return PublishedPort.assign(spec.ports(), Resources.of(offer.resources()).ranges("ports"));
  }

  private void launch(Offer offer) {
    launchedOn = offer;
    String role = offer.allocationInfo() == null ? null : offer.allocationInfo().role();
    String name = spec.name() != null ? spec.name()
        : spec.argv().isEmpty() ? spec.image() : TaskCommands.defaultName(spec.argv());
    List<NetworkInfo.PortMapping> mappings = hostPorts(offer).orElseThrow();
    List<Resource> resources = new ArrayList<>(need.toList(role));
    if (!mappings.isEmpty()) {
      resources.addAll(Resources.of(Resource.ranges("ports", PublishedPort.asRanges(mappings)))
          .toList(role));
    }
    TaskInfo task = TaskInfo.command(name, taskId, offer.agentId(), resources,
        TaskCommands.commandFor(spec.argv(), spec.env()));
    String network = spec.effectiveNetwork();
    if (spec.image() != null || network != null) {
      task = task.withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
          spec.image() == null ? null : new ContainerInfo.MesosInfo(Image.docker(spec.image())),
          network == null ? null
              : List.of(new NetworkInfo(null, network, null, null, mappings))));
    }
    for (NetworkInfo.PortMapping m : mappings) {
      err.println("terrace: " + offer.hostname() + ":" + m.hostPort() + " -> container port "
          + m.containerPort() + "/" + m.protocol() + " on network " + network);
    }
    logs = new SandboxLogs(http, agentUrl(offer), frameworkId, taskId, out, err);
    client.launch(offer, List.of(task)).whenComplete((ok, e) -> {
      if (e != null) {
        launched.completeExceptionally(new IllegalStateException(
            "the master refused the launch: " + rootMessage(e)));
        return;
      }
      logs.start(); // before completing, so run() never finishes the logs before they started
      launched.complete(null);
      client.suppress(); // no more offers needed; a failed suppress only costs declines
    });
  }

  private static URI agentUrl(Offer offer) {
    if (offer.url() != null) {
      return URI.create(offer.url().baseUrl());
    }
    // Masters that do not fill Offer.url: the agent's default port on the offered host.
    return URI.create("http://" + offer.hostname() + ":5051");
  }

  @Override
  public void update(TaskStatus status) {
    if (!taskId.equals(status.taskId())) {
      return;
    }
    if (status.state() != lastState) {
      lastState = status.state();
      boolean explain = status.state().isTerminal() && status.state() != TaskState.TASK_FINISHED
          && status.message() != null && !status.message().isBlank();
      err.println("terrace: task " + taskId + " " + status.state() + (explain ? ": " + status.message() : ""));
    }
    if (status.state().isTerminal()) {
      terminal.complete(status);
    }
  }

  @Override
  public void error(String message) {
    IllegalStateException e = new IllegalStateException("master error: " + message);
    if (!launched.isDone()) {
      launched.completeExceptionally(e);
    }
    terminal.completeExceptionally(e);
  }

  @Override
  public void disconnected(String reason) {
    lastDisconnect = reason;
    if (frameworkId != null && !terminal.isDone()) {
      err.println("terrace: lost the master (" + reason + "); reconnecting");
    }
  }

  private void stopLogs(boolean drain) {
    SandboxLogs l = logs;
    if (l == null) {
      return;
    }
    if (drain) {
      l.finish();
    } else {
      l.stop();
    }
  }

  private void teardown(SchedulerClient c) {
    if (!c.isSubscribed()) {
      return;
    }
    try {
      c.teardown().get(TEARDOWN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      err.println("terrace: could not tear down framework " + frameworkId + ": " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t
        && (t instanceof ExecutionException || t instanceof java.util.concurrent.CompletionException)) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
