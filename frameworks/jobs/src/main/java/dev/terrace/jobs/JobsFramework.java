package dev.terrace.jobs;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.discovery.ZkUrl;
import dev.terrace.discovery.ZooKeeperClients;
import dev.terrace.jobs.api.JobsApi;
import dev.terrace.jobs.scheduling.JobsController;
import dev.terrace.jobs.spec.JobSpecValidator;
import dev.terrace.jobs.state.JobStore;
import dev.terrace.sdk.SchedulerClient;
import dev.terrace.sdk.ha.FailoverSubscription;
import dev.terrace.sdk.ha.FrameworkLeadership;
import dev.terrace.sdk.ha.ZkStateStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instance of the jobs framework: a REST API and UI on its own port, a seat in the election
 * among instances, and, while it leads, the {@link JobsController} subscribed to the master as the
 * shared framework id. Followers answer API calls with a redirect to the leader.
 */
public final class JobsFramework implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobsFramework.class);

  private final JobsConfig config;
  private final Vertx vertx;
  private final CuratorFramework zk;
  private HttpServer server;
  private FrameworkLeadership leadership;
  private volatile JobsController controller;
  private boolean closed;

  private JobsFramework(JobsConfig config) {
    this.config = config;
    this.vertx = Vertx.vertx();
    ZkUrl url = ZkUrl.parse(config.stateZk());
    this.zk = ZooKeeperClients.newClient(url, ZooKeeperClients.DEFAULT_SESSION_TIMEOUT);
  }

  public static JobsFramework start(JobsConfig config) throws Exception {
    JobsFramework f = new JobsFramework(config);
    try {
      f.startAll();
    } catch (Exception e) {
      f.close();
      throw e;
    }
    return f;
  }

  private void startAll() throws Exception {
    server = vertx.createHttpServer().requestHandler(new JobsApi(vertx, this).router())
        .listen(config.port(), config.bindHost()).await();
    zk.start();
    leadership = new FrameworkLeadership(zk, ZkUrl.parse(config.stateZk()).basePath(), url(),
        new FrameworkLeadership.Listener() {
          @Override
          public void elected(ZkStateStore store) {
            lead(store);
          }

          @Override
          public void deposed() {
            follow();
          }
        }).start();
    LOG.info("Jobs framework instance at {}", url());
  }

  private void lead(ZkStateStore store) {
    FrameworkInfo info = new FrameworkInfo(config.user(), config.name(), null,
        (double) config.failoverTimeout().toSeconds(), true, null, config.roles(), config.advertisedHost(),
        null, url(), null, null)
        .withCapability(FrameworkInfo.Capability.Type.MULTI_ROLE)
        .withCapability(FrameworkInfo.Capability.Type.PARTITION_AWARE)
        .withCapability(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    JobsController c = new JobsController(new JobStore(store), new JobSpecValidator(config.roles()),
        config.clock(), config.tick(), () -> leadership.stepDown());
    SchedulerClient client = FailoverSubscription.builder(config.master(), info, store, c)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(5)).build();
    controller = c;
    c.start(client);
  }

  private void follow() {
    JobsController c = controller;
    controller = null;
    if (c != null) {
      c.stop();
    }
  }

  /** This instance's base URL, e.g. {@code http://10.0.0.5:5060}. */
  public String url() {
    return "http://" + config.advertisedHost() + ":" + server.actualPort();
  }

  public int port() {
    return server.actualPort();
  }

  /** The controller while this instance leads. */
  public Optional<JobsController> controller() {
    return Optional.ofNullable(controller);
  }

  public boolean isLeader() {
    return controller != null;
  }

  /** The leading instance's URL, if one leads. Blocks on ZooKeeper. */
  public Optional<String> leaderUrl() {
    return leadership == null ? Optional.empty() : leadership.leaderId();
  }

  /** Stops this instance; its tasks keep running and another instance takes them over. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (leadership != null) {
      leadership.close();
    }
    follow();
    zk.close();
    vertx.close().await();
  }
}
