package dev.terrace.notebooks;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.notebooks.api.NotebooksApi;
import dev.terrace.notebooks.scheduling.NotebooksController;
import dev.terrace.notebooks.state.NotebookStore;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.sdk.ha.FailoverSubscription;
import dev.terrace.sdk.ha.ZkStateStore;
import dev.terrace.sdk.http.HaInstance;
import java.time.Duration;
import java.util.Optional;

/**
 * One instance of the notebooks framework: the REST API on its own port, a seat in the election
 * among instances, and, while it leads, the {@link NotebooksController} subscribed to the master
 * as the shared framework id.
 */
public final class NotebooksFramework implements AutoCloseable {
  private final NotebooksConfig config;
  private HaInstance<NotebooksController> instance;

  private NotebooksFramework(NotebooksConfig config) {
    this.config = config;
  }

  public static NotebooksFramework start(NotebooksConfig config) throws Exception {
    NotebooksFramework f = new NotebooksFramework(config);
    f.instance = HaInstance.start(config.stateZk(), config.bindHost(), config.advertisedHost(), config.port(),
        h -> new NotebooksApi(h, f::controller).router(), f::lead);
    return f;
  }

  private NotebooksController lead(HaInstance<NotebooksController> self, ZkStateStore store, Runnable stepDown) {
    FrameworkInfo info = FailoverSubscription.frameworkInfo(config.user(), config.name(),
        config.failoverTimeout(), config.roles(), config.advertisedHost(), self.url());
    NotebooksController c = new NotebooksController(new NotebookStore(store), config.notebook(), config.role(),
        config.clock(), config.tick(), stepDown);
    SchedulerClient client = FailoverSubscription.builder(config.master(), info, store, c)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(5)).build();
    c.start(client);
    return c;
  }

  public String url() {
    return instance.url();
  }

  public Optional<NotebooksController> controller() {
    return instance.reign();
  }

  public boolean isLeader() {
    return instance.isLeader();
  }

  @Override
  public void close() {
    if (instance != null) {
      instance.close();
    }
  }
}
