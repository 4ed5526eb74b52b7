package dev.terrace.jobs;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.jobs.api.JobsApi;
import dev.terrace.jobs.scheduling.JobsController;
import dev.terrace.jobs.spec.JobSpecValidator;
import dev.terrace.jobs.state.JobStore;
import dev.terrace.sdk.ha.FailoverSubscription;
import dev.terrace.sdk.ha.ZkStateStore;
import dev.terrace.sdk.http.HaFramework;
import dev.terrace.sdk.http.HaInstance;
import java.util.Optional;

/**
 * One instance of the jobs framework: a REST API and UI on its own port, a seat in the election
 * among instances, and, while it leads, the {@link JobsController} subscribed to the master as the
 * shared framework id. Followers answer API calls with a redirect to the leader.
 */
public final class JobsFramework extends HaFramework<JobsController> {
  private final JobsConfig config;

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
    c.start(FailoverSubscription.client(config.master(), info, store, c));
    return c;
  }

  /** The leading instance's URL, if one leads. Blocks on ZooKeeper. */
  public Optional<String> leaderUrl() {
    return instance.leaderUrl();
  }
}
