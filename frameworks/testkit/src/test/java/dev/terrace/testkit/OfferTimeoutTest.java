package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.resources.Resources;
import dev.terrace.sdk.SchedulerClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With `--offer-timeout`, an offer a framework sits on is rescinded and its resources go to the
 * next framework in turn, instead of being hoarded.
 */
class OfferTimeoutTest {

  @Test
  void heldOfferIsRescindedAndOfferedToAnotherFramework() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses())
        .masterConfig(b -> b.offerTimeout(Duration.ofMillis(500))).start()) {
      RecordingScheduler hoarder = new RecordingScheduler();
      try (SchedulerClient first = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "hoarder"),
          hoarder).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !hoarder.offers.isEmpty());
        Offer held = hoarder.offers.get(0);
        RecordingScheduler other = new RecordingScheduler();
        try (SchedulerClient second = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("t", "other"),
            other).build().start()) {
          await().atMost(Duration.ofSeconds(15)).until(() -> hoarder.rescinded.contains(held.id()));
          await().atMost(Duration.ofSeconds(15)).until(() -> !other.offers.isEmpty());
          assertThat(Resources.of(other.offers.get(0).resources()).scalar("cpus")).isEqualTo(2.0);
        }
      }
    }
  }
}
