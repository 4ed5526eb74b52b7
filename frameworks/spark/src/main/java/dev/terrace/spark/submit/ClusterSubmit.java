package dev.terrace.spark.submit;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.spark.master.TerraceMasterUrl;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code terrace spark-submit --deploy-mode cluster}: registers a one-task framework that runs the
 * driver as a Terrace task ({@link DriverTask}), follows the driver's stdout and stderr from its
 * sandbox, and returns 0 once it finished, 1 if it failed, was killed or could not be launched.
 * The driver runs the application in client mode against the same master, so its executors are
 * Terrace tasks too. Stopping spark-submit (Ctrl-C) ends the launcher's framework, which kills
 * the driver.
 */
public final class ClusterSubmit {
  private static final long FOLLOW_MILLIS = 500;

  private ClusterSubmit() {}

  /** Runs the driver and returns spark-submit's exit code. */
  public static int run(SubmitOptions options, String javaHome, String sparkClasspath, PrintStream out,
      PrintStream err) throws InterruptedException {
    DriverTask driver = new DriverTask(options, javaHome, sparkClasspath);
    DriverLauncher launcher = new DriverLauncher(driver, err);
    String appName = options.conf().getOrDefault("spark.app.name", options.mainClass());
    String role = options.conf().getOrDefault("spark.terrace.role", "*");
    FrameworkInfo info = new FrameworkInfo(System.getProperty("user.name"), "spark driver launcher (" + appName + ")",
        null, 0.0, false, null, List.of(role), null, options.conf().get("spark.terrace.principal"), null,
        List.of(new FrameworkInfo.Capability(FrameworkInfo.Capability.Type.MULTI_ROLE)), null);
    SchedulerClient client = SchedulerClient.builder(TerraceMasterUrl.parse(options.master()).sdkUrl(), info,
        launcher).build();
    launcher.attach(client);
    Thread stopOnExit = new Thread(() -> teardown(client, err));
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    ScheduledExecutorService follower = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "driver-output");
      t.setDaemon(true);
      return t;
    });
    try {
      client.start();
      CompletableFuture<List<DriverOutput>> outputs = launcher.launched().thenApply(at -> {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        // Masters that do not fill Offer.url: the agent's default port on the offered host.
        URI agent = URI.create(at.offer().url() != null ? at.offer().url().baseUrl()
            : "http://" + at.offer().hostname() + ":5051");
        return List.of(new DriverOutput(http, agent, at.framework(), DriverTask.TASK_ID, "stdout", out),
            new DriverOutput(http, agent, at.framework(), DriverTask.TASK_ID, "stderr", err));
      });
      outputs.thenAccept(files -> follower.scheduleWithFixedDelay(
          () -> files.forEach(ClusterSubmit::copyQuietly), 0, FOLLOW_MILLIS, TimeUnit.MILLISECONDS));
      TaskStatus status;
      try {
        status = launcher.ended().get();
      } catch (ExecutionException e) {
        err.println("terrace spark-submit: " + e.getCause().getMessage());
        return 1;
      }
      // Let the last poll end, then copy what the driver wrote after it.
      follower.shutdown();
      follower.awaitTermination(15, TimeUnit.SECONDS);
      try {
        // A status means the master took the task, whose launch answer may still be on its way.
        outputs.get(30, TimeUnit.SECONDS).forEach(ClusterSubmit::copyQuietly);
      } catch (ExecutionException | TimeoutException e) {
        err.println("terrace spark-submit: could not read the driver's output: " + e.getMessage());
      }
      return status.state() == TaskState.TASK_FINISHED ? 0 : 1;
    } finally {
      follower.shutdownNow();
      teardown(client, err);
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnExit);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs the same teardown
      }
    }
  }

  private static void copyQuietly(DriverOutput output) {
    try {
      output.copyNew();
    } catch (IOException e) {
      // The agent may be briefly unreachable; the next poll resumes at the same offset.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the launcher's framework (killing the driver if it still runs) and closes the client. */
  private static void teardown(SchedulerClient client, PrintStream err) {
    try {
      if (client.frameworkId().isPresent()) {
        client.teardown().get(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      err.println("terrace spark-submit: could not end the driver's framework: " + e);
    } finally {
      client.close();
    }
  }
}
