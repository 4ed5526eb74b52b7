package dev.terrace.agent.metrics;

import dev.terrace.agent.containerizer.LaunchObserver;
import dev.terrace.agent.image.ImageService;
import dev.terrace.agent.image.PullObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The agent's metrics in a Micrometer Prometheus registry, served as text at {@code GET /metrics}:
 * image pulls (by result, with durations), layer bytes downloaded, unpack durations, images
 * imported from archives, the size of the image store, and container launches step by step.
 */
public final class AgentMetrics implements PullObserver, LaunchObserver {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer pullsOk;
  private final Timer pullsFailed;
  private final Counter bytes;
  private final Timer unpacks;
  private final Counter imported;
  private final java.util.Map<Step, Timer> launchSteps = new java.util.EnumMap<>(Step.class);
  /** Containers running now (tasks and custom executors), set on the agent's context. */
  private final java.util.concurrent.atomic.AtomicInteger containers = new java.util.concurrent.atomic.AtomicInteger();

  public AgentMetrics() {
    pullsOk = Timer.builder("terrace.agent.image.pulls").tag("result", "success")
        .description("Image pulls from registries and how long they took").register(registry);
    pullsFailed = Timer.builder("terrace.agent.image.pulls").tag("result", "failure")
        .description("Image pulls from registries and how long they took").register(registry);
    bytes = Counter.builder("terrace.agent.image.pull.bytes").baseUnit("bytes")
        .description("Layer bytes downloaded from registries").register(registry);
    unpacks = Timer.builder("terrace.agent.image.unpack")
        .description("Time to unpack (or find unpacked) an image's layers").register(registry);
    imported = Counter.builder("terrace.agent.image.imported")
        .description("Images imported from archives").register(registry);
    for (Step step : Step.values()) {
      // A histogram, so that Prometheus can tell a p99 launch from a typical one.
      launchSteps.put(step, Timer.builder("terrace.agent.container.launch")
          .tag("step", step.name().toLowerCase(java.util.Locale.ROOT))
          .description("Time of each step of a container launch: image, network, rootfs, bundle, runtime")
          .publishPercentileHistogram()
          .minimumExpectedValue(java.time.Duration.ofMillis(1))
          .maximumExpectedValue(java.time.Duration.ofSeconds(30))
          .register(registry));
    }
    Gauge.builder("terrace.agent.containers", containers, java.util.concurrent.atomic.AtomicInteger::get)
        .description("Containers running: tasks and custom executors").register(registry);
  }

  /** The number of running containers, as the agent's context last counted it. */
  public void containers(int running) {
    containers.set(running);
  }

  /** Adds the store's size, read when scraped (it walks the store: blocking). */
  public void watch(ImageService images) {
    Gauge.builder("terrace.agent.image.store.bytes", images, i -> {
      try {
        return i.diskUsage();
      } catch (java.io.IOException e) {
        return Double.NaN;
      }
    }).baseUnit("bytes").description("Bytes of blobs and unpacked layers").register(registry);
    images.observe(this);
  }

  /** Prometheus text; blocking when the store is watched (run on a worker). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void bytesDownloaded(long n) {
    bytes.increment(n);
  }

  @Override
  public void pulled(boolean success, long nanos) {
    (success ? pullsOk : pullsFailed).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void unpacked(long nanos) {
    unpacks.record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void step(Step step, long nanos) {
    launchSteps.get(step).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void imported(int images) {
    imported.increment(images);
  }
}
