package dev.terrace.discovery;

import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;

/** Builds the Curator clients Terrace uses, so detectors and contenders behave alike. */
public final class ZooKeeperClients {
  /** ZooKeeper's own default range is 2-20 ticks; 10 s is Mesos' default session timeout. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

  private ZooKeeperClients() {}

  /** A new, not yet started client for {@code url} (the base path is not a chroot). */
  public static CuratorFramework newClient(ZkUrl url, Duration sessionTimeout) {
    int sessionMs = Math.toIntExact(sessionTimeout.toMillis());
    return CuratorFrameworkFactory.builder()
        .connectString(url.connectString())
        .sessionTimeoutMs(sessionMs)
        // Curator warns when the connection timeout exceeds the session timeout, and waiting
        // longer for a first connection than a session lasts buys nothing.
        .connectionTimeoutMs(Math.min(sessionMs, 15_000))
        .retryPolicy(new ExponentialBackoffRetry(100, 10, 5_000))
        // The standard policy (Curator's default, set explicitly because leadership depends on
        // it) treats SUSPENDED as an error, so recipes such as LeaderLatch give up leadership as
        // soon as the connection drops instead of waiting for the session to expire.
        .connectionStateErrorPolicy(new StandardConnectionStateErrorPolicy())
        .build();
  }
}
