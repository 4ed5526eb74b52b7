package dev.terrace.sdk.ha;

import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.MasterInfo;
import dev.terrace.sdk.SchedulerClient;
import java.time.Duration;
import java.util.Optional;

/**
 * What a leading framework controller runs on: its {@link LeaderActor}, its scheduler client, and
 * the framework id and master it subscribed with. {@link #start} loads the state on the actor
 * before anything else runs there, then starts the periodic work and the subscription.
 */
public final class LeaderSession {
  private final LeaderActor actor;
  private volatile SchedulerClient client;
  private volatile MasterInfo masterInfo;
  private volatile FrameworkId frameworkId;

  /** {@code onFenced}: the state store refused a write, so this instance must step down. */
  public LeaderSession(String threadName, Runnable onFenced) {
    this.actor = new LeaderActor(threadName, onFenced);
  }

  public LeaderActor actor() {
    return actor;
  }

  /** The scheduler client, once {@link #start} was called. */
  public SchedulerClient client() {
    return client;
  }

  /** Runs {@code load} on the actor and waits for it, then {@code periodic} every {@code tick}, then subscribes. */
  public void start(SchedulerClient schedulerClient, Runnable load, Duration tick, Runnable periodic) {
    this.client = schedulerClient;
    actor.call(() -> {
      load.run();
      return null;
    }).join();
    actor.every(tick, periodic);
    schedulerClient.start();
  }

  /** Records what the master answered the subscription with (call from {@code Scheduler.subscribed}). */
  public void subscribed(FrameworkId id, MasterInfo master) {
    frameworkId = id;
    masterInfo = master;
  }

  /** Stops acting at once (deposed or closing); the tasks keep running for the next leader. */
  public void stop() {
    actor.stop();
    SchedulerClient c = client;
    if (c != null) {
      c.close();
    }
  }

  public Optional<MasterInfo> masterInfo() {
    return Optional.ofNullable(masterInfo);
  }

  public Optional<FrameworkId> frameworkId() {
    return Optional.ofNullable(frameworkId);
  }
}
