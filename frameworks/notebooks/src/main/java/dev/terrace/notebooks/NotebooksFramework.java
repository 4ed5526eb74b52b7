package dev.terrace.notebooks;

import dev.terrace.notebooks.api.NotebooksApi;
import dev.terrace.notebooks.scheduling.NotebooksController;
import dev.terrace.notebooks.state.NotebookStore;
import dev.terrace.sdk.ha.FailoverSubscription;
import dev.terrace.sdk.ha.ZkStateStore;
import dev.terrace.sdk.http.HaFramework;
import dev.terrace.sdk.http.HaInstance;

/**
 * One instance of the notebooks framework: the REST API on its own port, a seat in the election
 * among instances, and, while it leads, the {@link NotebooksController} subscribed to the master
 * as the shared framework id.
 */
public final class NotebooksFramework extends HaFramework<NotebooksController> {
  private final NotebooksConfig config;

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
    NotebooksController c = new NotebooksController(new NotebookStore(store), config.notebook(), config.role(),
        config.clock(), config.tick(), stepDown);
    c.start(FailoverSubscription.client(config.master(), FailoverSubscription.frameworkInfo(config.user(),
        config.name(), config.failoverTimeout(), config.roles(), config.advertisedHost(), self.url()), store, c));
    return c;
  }
}
