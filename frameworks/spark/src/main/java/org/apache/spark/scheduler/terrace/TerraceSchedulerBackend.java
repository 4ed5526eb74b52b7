package org.apache.spark.scheduler.terrace;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.spark.executor.ExecutorScheduler;
import dev.terrace.spark.executor.ExecutorSettings;
import dev.terrace.spark.executor.ExecutorTasks;
import dev.terrace.spark.master.TerraceMasterUrl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.scheduler.ExecutorExited;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark's coarse-grained scheduler backend on Terrace: registers the application as a Terrace
 * framework (its id becomes the Spark application id), runs executors as Terrace tasks through
 * an {@link ExecutorScheduler}, and tears the framework down when the application stops, which
 * ends every executor task.
 */
public final class TerraceSchedulerBackend extends CoarseGrainedSchedulerBackend
    implements ExecutorScheduler.Listener {
  private static final Logger log = LoggerFactory.getLogger(TerraceSchedulerBackend.class);

  private final SparkContext sc;
  private final TerraceMasterUrl master;
  private final CompletableFuture<FrameworkId> registered = new CompletableFuture<>();
  private ExecutorSettings settings;
  private ExecutorScheduler executors;
  private SchedulerClient client;
  private volatile String appId;

  public TerraceSchedulerBackend(TaskSchedulerImpl scheduler, SparkContext sc, TerraceMasterUrl master) {
    super(scheduler, sc.env().rpcEnv());
    this.sc = sc;
    this.master = master;
  }

  @Override
  public void start() {
    super.start();
    SparkConf conf = sc.conf();
    settings = ExecutorSettings.from(key -> conf.contains(key) ? Optional.of(conf.get(key)) : Optional.empty());
    String driverUrl = "spark://" + CoarseGrainedSchedulerBackend.ENDPOINT_NAME() + "@"
        + rpcEnv().address().hostPort();
    executors = new ExecutorScheduler(settings, new ExecutorTasks(settings, sc.appName()),
        () -> driverUrl, this);
    FrameworkInfo info = frameworkInfo(conf);
    client = SchedulerClient.builder(master.sdkUrl(), info, executors).build();
    executors.attach(client);
    client.start();
    long timeoutMs = conf.getTimeAsMs("spark.terrace.registrationTimeout", "60s");
    try {
      registered.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      client.close();
      throw new IllegalStateException(new SparkException("Could not register with the Terrace master at "
          + master.sdkUrl() + " within " + timeoutMs + " ms"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      client.close();
      throw new IllegalStateException("interrupted while registering with Terrace", e);
    }
  }

  private FrameworkInfo frameworkInfo(SparkConf conf) {
    String role = settings.role();
    // failover_timeout 0: a driver that dies takes its framework, and so its executors, with it.
    return new FrameworkInfo(sc.sparkUser(), sc.appName(), null, 0.0, false, null, List.of(role),
        conf.get("spark.driver.host", null), conf.get("spark.terrace.principal", null),
        sc.uiWebUrl().isDefined() ? sc.uiWebUrl().get() : null,
        List.of(new FrameworkInfo.Capability(FrameworkInfo.Capability.Type.MULTI_ROLE)), null);
  }

  @Override
  public void registered(FrameworkId frameworkId) {
    appId = frameworkId.value();
    registered.complete(frameworkId);
  }

  @Override
  public void executorEnded(String executorId, TaskStatus status, boolean requested) {
    boolean failed = status.state() != TaskState.TASK_FINISHED && status.state() != TaskState.TASK_KILLED;
    // An exit caused by the application counts against its tasks (spark.task.maxFailures); a kill
    // Spark asked for, or the end of the application, does not.
    removeExecutor(executorId, new ExecutorExited(-1, failed && !requested,
        "Terrace task " + status.state() + (status.message() == null ? "" : ": " + status.message())));
  }

  @Override
  public String applicationId() {
    String id = appId;
    return id != null ? id : super.applicationId();
  }

  @Override
  public boolean sufficientResourcesRegistered() {
    long wanted = settings.initialTarget() == ExecutorSettings.UNLIMITED ? settings.coresMax()
        : Math.min((long) settings.initialTarget() * settings.cores(), settings.coresMax());
    if (wanted == ExecutorSettings.UNLIMITED) {
      return true;
    }
    return totalCoreCount().get() >= wanted * minRegisteredRatio();
  }

  @Override
  public Future<Object> doRequestTotalExecutors(scala.collection.immutable.Map<ResourceProfile, Object> wanted) {
    int total = 0;
    for (Map.Entry<ResourceProfile, Object> e : CollectionConverters.asJava(wanted).entrySet()) {
      if (e.getKey().id() != ResourceProfile.DEFAULT_RESOURCE_PROFILE_ID()) {
        log.warn("Resource profile {} is not supported on Terrace; its {} executors are not launched",
            e.getKey().id(), e.getValue());
        continue;
      }
      total += (Integer) e.getValue();
    }
    executors.requestTotal(total);
    return Future.successful(Boolean.TRUE);
  }

  @Override
  public Future<Object> doKillExecutors(scala.collection.immutable.Seq<String> executorIds) {
    executors.kill(CollectionConverters.asJava(executorIds));
    return Future.successful(Boolean.TRUE);
  }

  @Override
  public void stop() {
    if (executors != null) {
      executors.stopping();
    }
    try {
      super.stop();
    } finally {
      if (client != null) {
        try {
          // Ends the framework on the master: every executor task still running is killed.
          client.teardown().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
          log.warn("Tearing down Terrace framework {} failed: {}", appId, e.toString());
        } finally {
          client.close();
        }
      }
    }
  }
}
