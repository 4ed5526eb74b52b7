package dev.terrace.services;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.sdk.ha.FailoverSubscription;
import dev.terrace.sdk.ha.ZkStateStore;
import dev.terrace.sdk.http.HaFramework;
import dev.terrace.sdk.http.HaInstance;
import dev.terrace.services.api.ServicesApi;
import dev.terrace.services.scheduling.ServicesController;
import dev.terrace.services.spec.ServiceSpecValidator;
import dev.terrace.services.state.ServiceStore;

/**
 * One instance of the services framework: REST API and UI on its own port, a seat in the election
 * among instances, and, while it leads, the {@link ServicesController} subscribed to the master as
 * the shared framework id.
 */
public final class ServicesFramework extends HaFramework<ServicesController> {
  private final ServicesConfig config;

  private ServicesFramework(ServicesConfig config) {
    this.config = config;
  }

  public static ServicesFramework start(ServicesConfig config) throws Exception {
    ServicesFramework f = new ServicesFramework(config);
    f.instance = HaInstance.start(config.stateZk(), config.bindHost(), config.advertisedHost(), config.port(),
        h -> new ServicesApi(h, f).router(), f::lead);
    return f;
  }

  private ServicesController lead(HaInstance<ServicesController> self, ZkStateStore store, Runnable stepDown) {
    FrameworkInfo info = FailoverSubscription.frameworkInfo(config.user(), config.name(),
        config.failoverTimeout(), config.roles(), config.advertisedHost(), self.url());
    ServicesController c = new ServicesController(new ServiceStore(store), new ServiceSpecValidator(config.roles()),
        config.clock(), config.tick(), stepDown);
    c.start(FailoverSubscription.client(config.master(), info, store, c));
    return c;
  }
}
