package dev.terrace.spark.submit;

import dev.terrace.common.model.Filters;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The framework behind {@code spark-submit --deploy-mode cluster}: takes the first offer with room
 * for the driver, launches the driver there as one task, reports its state changes, and completes
 * {@link #ended()} with its terminal status. It launches the driver once: a driver that fails is
 * reported, not retried.
 *
 * <p>Callbacks run on the SDK's single thread; {@link #launched()} is read from others.
 */
final class DriverLauncher implements Scheduler {
  /** Once the driver is launched no offer is of use; this keeps them away (a suppress does too). */
  static final double REFUSE_SECONDS = 3600;

  /** Where the driver runs: the agent's files API serves its sandbox. */
  record Placement(FrameworkId framework, Offer offer) {}

  private final DriverTask driver;
  private final PrintStream log;
  private final CompletableFuture<Placement> launched = new CompletableFuture<>();
  private final CompletableFuture<TaskStatus> ended = new CompletableFuture<>();
  private SchedulerClient client;
  private FrameworkId frameworkId;
  private TaskState lastState;
  private boolean launching;

  DriverLauncher(DriverTask driver, PrintStream log) {
    this.driver = driver;
    this.log = log;
  }

  void attach(SchedulerClient value) {
    this.client = value;
  }

  /** Completes once the master took the driver task. */
  CompletableFuture<Placement> launched() {
    return launched;
  }

  /** Completes with the driver's terminal status, or exceptionally when it could not be run. */
  CompletableFuture<TaskStatus> ended() {
    return ended;
  }

  @Override
  public void subscribed(FrameworkId id, MasterInfo masterInfo) {
    frameworkId = id;
    log.println("terrace spark-submit: waiting for an offer of " + driver.cpus() + " cpus and "
        + driver.memMb() + " MiB for the driver (framework " + id.value() + ")");
  }

  @Override
  public void offers(List<Offer> offers) {
    List<OfferId> unused = new ArrayList<>();
    for (Offer offer : offers) {
      if (launching || !driver.fits(offer)) {
        unused.add(offer.id());
        continue;
      }
      launching = true;
      launch(offer);
    }
    if (!unused.isEmpty()) {
      client.decline(unused, launching ? new Filters(REFUSE_SECONDS) : null);
    }
  }

  private void launch(Offer offer) {
    TaskInfo task = driver.build(offer);
    log.println("terrace spark-submit: launching the driver on " + offer.hostname()
        + " (agent " + offer.agentId().value() + ")");
    client.launch(offer, List.of(task)).whenComplete((ok, e) -> {
      if (e != null) {
        ended.completeExceptionally(new IllegalStateException("the master refused the driver task: "
            + e.getMessage(), e));
        return;
      }
      launched.complete(new Placement(frameworkId, offer));
      client.suppress().exceptionally(err -> null);
    });
  }

  @Override
  public void update(TaskStatus status) {
    if (!DriverTask.TASK_ID.equals(status.taskId()) || status.state() == lastState) {
      return;
    }
    lastState = status.state();
    log.println("terrace spark-submit: driver " + status.state()
        + (status.message() == null || status.message().isBlank() ? "" : ": " + status.message()));
    if (status.state().isTerminal()) {
      ended.complete(status);
    }
  }

  @Override
  public void error(String message) {
    ended.completeExceptionally(new IllegalStateException("the Terrace master ended the driver's framework: "
        + message));
  }

  @Override
  public void disconnected(String reason) {
    log.println("terrace spark-submit: lost the Terrace master (" + reason + "); reconnecting");
  }
}
