package dev.terrace.jobs;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.jobs.api.JobsApi;
import dev.terrace.jobs.scheduling.JobsController;
import dev.terrace.jobs.spec.JobSpecValidator;
import dev.terrace.jobs.state.JobStore;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.sdk.ha.FailoverSubscription;
import dev.terrace.sdk.ha.ZkStateStore;
import dev.terrace.sdk.http.HaInstance;
import java.time.Duration;
import java.util.Optional;

/**
 * One instance of the jobs framework: a REST API and UI on its own port, a seat in the election
 * among instances, and, while it leads, the {@link JobsController} subscribed to the master as the
 * shared framework id. Followers answer API calls with a redirect to the leader.
 */
public final class JobsFramework implements AutoCloseable {
  private final JobsConfig config;
  private HaInstance<JobsController> instance;

  private JobsFramework(JobsConfig config) {
    this.config = config;
  }

  public static JobsFramework start(JobsConfig config) throws Exception {
    JobsFramework f = new JobsFramework(config);
    f.instance = HaInstance.start(config.stateZk(), config.bindHost(), config.advertisedHost(), config.port(),
        h -> new JobsApi(h.vertx(), f).router(), f::lead);
    return f;
  }

  private JobsController lead(HaInstance<JobsController> self, ZkStateStore store, Runnable stepDown) {
    FrameworkInfo info = FailoverSubscription.frameworkInfo(config.user(), config.name(),
        config.failoverTimeout(), config.roles(), config.advertisedHost(), self.url());
    JobsController c = new JobsController(new JobStore(store), new JobSpecValidator(config.roles()),
        config.clock(), config.tick(), stepDown);
    SchedulerClient client = FailoverSubscription.builder(config.master(), info, store, c)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(5)).build();
    c.start(client);
    return c;
  }

  /** This instance's base URL, e.g. {@code http://10.0.0.5:5060}. */
  public String url() {
    return instance.url();
  }

  /** The controller while this instance leads. */
  public Optional<JobsController> controller() {
    return instance.reign();
  }

  public boolean isLeader() {
    return instance.isLeader();
  }

  /** The leading instance's URL, if one leads. Blocks on ZooKeeper. */
  public Optional<String> leaderUrl() {
    return instance.leaderUrl();
  }

  /** Stops this instance; its tasks keep running and another instance takes them over. */
  @Override
  public void close() {
    if (instance != null) {
      instance.close();
    }
  }
}
