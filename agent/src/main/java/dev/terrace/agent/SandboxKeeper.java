package dev.terrace.agent;

import dev.terrace.agent.sandbox.LogRotator;
import dev.terrace.agent.sandbox.SandboxGc;
import dev.terrace.agent.sandbox.SandboxLayout;
import dev.terrace.agent.sandbox.SandboxSettings;
import dev.terrace.agent.task.TaskRunner;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's housekeeping of sandboxes: every {@code checkInterval}, rotates the logs of tasks
 * still running and removes the sandboxes whose time has come. The task list is read on the agent's
 * context; files are touched on the worker pool, one round at a time.
 */
final class SandboxKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(SandboxKeeper.class);

  private final SandboxSettings settings;
  private final SandboxGc gc;
  private final LogRotator rotator;
  private final AtomicBoolean busy = new AtomicBoolean();

  /** Reads the GC schedule checkpointed by an earlier run (blocking; before the agent starts). */
  SandboxKeeper(SandboxLayout layout, SandboxSettings settings) throws IOException {
    this.settings = settings;
    this.gc = new SandboxGc(layout.metaDir().resolve("sandbox-gc"), layout.agentsRoot(), settings,
        SandboxGc.diskOf(layout.workDir()), Clock.systemUTC());
    this.rotator = new LogRotator(settings.logMaxSize(), settings.logMaxFiles());
  }

  SandboxGc gc() {
    return gc;
  }

  /**
   * Once the earlier run's tasks are back (call on the agent's context): schedules sandboxes no
   * task owns, then starts the periodic rounds.
   */
  Future<Void> start(Vertx vertx, Agent agent, WorkerExecutor pool) {
    Set<Path> active = sandboxes(agent.tasks());
    return pool.executeBlocking(() -> gc.adopt(active), false)
        .onFailure(e -> LOG.warn("Cannot look for old sandboxes: {}", e.getMessage()))
        .transform(ar -> {
          vertx.setPeriodic(settings.checkInterval().toMillis(), t -> round(agent, pool));
          return Future.<Void>succeededFuture();
        });
  }

  private void round(Agent agent, WorkerExecutor pool) {
    if (!busy.compareAndSet(false, true)) {
      return; // the previous round is still at work
    }
    Set<Path> active = sandboxes(agent.tasks());
    List<Path> writing = agent.tasks().stream().filter(t -> !t.state().isTerminal())
        .map(TaskRunner::sandbox).toList();
    pool.executeBlocking(() -> {
      writing.forEach(rotator::check);
      return gc.collect(active);
    }, false).onComplete(ar -> {
      busy.set(false);
      if (ar.failed()) {
        LOG.warn("Sandbox housekeeping failed: {}", ar.cause().getMessage());
      }
    });
  }

  private static Set<Path> sandboxes(java.util.Collection<TaskRunner> tasks) {
    return tasks.stream().map(TaskRunner::sandbox).collect(Collectors.toSet());
  }
}
