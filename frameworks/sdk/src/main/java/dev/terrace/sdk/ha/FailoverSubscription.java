package dev.terrace.sdk.ha;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.Scheduler;
import dev.terrace.sdk.SchedulerClient;
import java.util.List;
import java.util.Objects;

/**
 * The leader's subscription with the framework id that every instance shares: read from the
 * {@link ZkStateStore} (key {@value #KEY}) before subscribing, so a new leader fails the framework
 * over instead of registering a second one, and written there as soon as the master assigns it.
 *
 * <p>The framework info must carry a {@code failover_timeout} long enough for a standby to take
 * over; without one the master would tear the framework (and its tasks) down as soon as the old
 * leader's stream closes.
 */
public final class FailoverSubscription {
  public static final String KEY = "framework_id";

  private FailoverSubscription() {}

  /**
   * The FrameworkInfo of a highly available Terrace framework: a failover timeout (so its tasks
   * outlive a leader change), checkpointing, the given roles, its web UI, and the capabilities
   * our frameworks rely on (MULTI_ROLE, PARTITION_AWARE, TASK_KILLING_STATE).
   */
  public static FrameworkInfo frameworkInfo(String user, String name, java.time.Duration failoverTimeout,
      java.util.List<String> roles, String hostname, String webuiUrl) {
    return new FrameworkInfo(user, name, null, (double) failoverTimeout.toSeconds(), true, null, roles,
        hostname, null, webuiUrl, null, null)
        .withCapability(FrameworkInfo.Capability.Type.MULTI_ROLE)
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)
        .withCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
  }

  /**
   * A client (not started) subscribing as the stored framework, with the reconnect backoff of
   * Terrace's own frameworks (200 ms growing to 5 s).
   */
  public static SchedulerClient client(String masterUrl, FrameworkInfo info, ZkStateStore store, Scheduler scheduler) {
    return builder(masterUrl, info, store, scheduler)
        .backoff(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5)).build();
  }

  /** A client (not started) subscribing as the stored framework, persisting the id it gets. */
  public static SchedulerClient.Builder builder(String masterUrl, FrameworkInfo info, ZkStateStore store,
      Scheduler scheduler) {
    if (info.failoverTimeout() == null || info.failoverTimeout() <= 0) {
      throw new IllegalArgumentException("a highly available framework needs a failover_timeout");
    }
    FrameworkInfo withId = store.read(KEY, FrameworkId.class).map(info::withId).orElse(info);
    return SchedulerClient.builder(masterUrl, withId, new PersistingScheduler(store, scheduler));
  }

  /** Stores the framework id before the scheduler hears of the subscription. */
  private record PersistingScheduler(ZkStateStore store, Scheduler delegate) implements Scheduler {
    @Override
    public void subscribed(FrameworkId frameworkId, MasterInfo masterInfo) {
      FrameworkId stored = store.read(KEY, FrameworkId.class).orElse(null);
      if (!Objects.equals(stored, frameworkId)) {
        store.put(KEY, frameworkId);
      }
      delegate.subscribed(frameworkId, masterInfo);
    }

    @Override
    public void offers(List<Offer> offers) {
      delegate.offers(offers);
    }

    @Override
    public void update(TaskStatus status) {
      delegate.update(status);
    }

    @Override
    public void rescind(OfferId offerId) {
      delegate.rescind(offerId);
    }

    @Override
    public void error(String message) {
      delegate.error(message);
    }

    @Override
    public void disconnected(String reason) {
      delegate.disconnected(reason);
    }

    @Override
    public void heartbeat() {
      delegate.heartbeat();
    }
  }
}
