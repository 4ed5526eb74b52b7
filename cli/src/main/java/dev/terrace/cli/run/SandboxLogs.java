package dev.terrace.cli.run;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Streams a running task's stdout and stderr to ours: polls both files every 200 ms while the task
 * runs, then drains them completely once it has ended.
 */
final class SandboxLogs {
  private static final long POLL_MILLIS = 200;

  private final List<SandboxLogFollower> followers;
  private final PrintStream err;
  private final ScheduledExecutorService poller;

  SandboxLogs(HttpClient http, URI agent, FrameworkId framework, TaskId task, OutputStream out,
      PrintStream err) {
    this.err = err;
    this.followers = List.of(
        new SandboxLogFollower(http, agent, SandboxLogFollower.sandboxPath(framework, task, "stdout"), out),
        new SandboxLogFollower(http, agent, SandboxLogFollower.sandboxPath(framework, task, "stderr"), err));
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "terrace-run-logs");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    poller.scheduleWithFixedDelay(this::pollQuietly, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void pollQuietly() {
    for (SandboxLogFollower f : followers) {
      try {
        f.poll();
      } catch (IOException e) {
        // While the task runs the agent may be briefly unreachable; the next poll resumes at the
        // same offset, and the final drain reports a lasting failure.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops polling and copies whatever is left; called after the task's terminal state. */
  void finish() {
    poller.shutdown();
    try {
      // Let an in-flight poll end first, so two readers never copy the same bytes.
      poller.awaitTermination(15, TimeUnit.SECONDS);
      for (SandboxLogFollower f : followers) {
        try {
          f.drain();
        } catch (IOException e) {
          err.println("terrace: could not read the task's output: " + e.getMessage());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops without draining (the task never ran or we are giving up). */
  void stop() {
    poller.shutdownNow();
  }
}
