package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.image.fixture.SlowRegistryProxy;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A task whose image comes over a slow link (the real registry behind a pacing proxy): the
 * framework sees TASK_STARTING updates with the bytes pulled per layer, and the agent's
 * Prometheus {@code /metrics} counts the pull, its bytes and its duration.
 */
@Tag("linux")
class ImagePullProgressLinuxTest {

  @Test
  void startingUpdatesShowPullProgressAndMetricsCountThePull() throws Exception {
    RealContainers.assume();
    Assumptions.assumeTrue(SharedRegistry.available(), "needs docker-registry, busybox-static");
    long layerBytes = SharedRegistry.busybox().blobs().values().stream()
        .filter(b -> b.mediaType().contains("layer")).mapToLong(b -> b.bytes().length).sum();
    // About five seconds for the layer: two or more progress updates at one per two seconds.
    try (SlowRegistryProxy slow = new SlowRegistryProxy(SharedRegistry.get().host(), layerBytes / 5);
        InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.real())
            .start()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(),
          FrameworkInfo.of("root", "pull-progress"), scheduler).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 64).isPresent());
        Offer offer = scheduler.offerWith(0.1, 64).orElseThrow();
        TaskId id = Tasks.newId("slow-pull");
        String image = slow.host() + "/" + SharedRegistry.BUSYBOX + ":" + SharedRegistry.BUSYBOX_TAG;
        client.launch(offer, List.of(Tasks.shell(id, offer, 0.1, 64, "echo pulled")
            .withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
                new ContainerInfo.MesosInfo(Image.docker(image)), null)))).join();
        await().atMost(Duration.ofSeconds(90)).until(() -> scheduler.terminal(id).isPresent());
        TaskStatus end = scheduler.terminal(id).orElseThrow();
        assertThat(end.state()).as(end.message()).isEqualTo(TaskState.TASK_FINISHED);

        List<String> progress = scheduler.updates.stream()
            .filter(s -> s.taskId().equals(id) && s.state() == TaskState.TASK_STARTING)
            .map(TaskStatus::message).filter(m -> m != null && m.contains("MiB")).toList();
        assertThat(progress).isNotEmpty().allSatisfy(m -> assertThat(m)
            .matches("Pulling image " + java.util.regex.Pattern.quote(image)
                + ": [0-9.]+ of [0-9.]+ MiB \\(\\d+%\\); layers [0-9a-f]{12} [0-9.]+/[0-9.]+ MiB"));

        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(cluster.agents().get(0).url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("terrace_agent_image_pulls_seconds_count{result=\"success\"} 1\n");
        double bytes = metrics.lines().filter(l -> l.startsWith("terrace_agent_image_pull_bytes_total"))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .findFirst().orElse(0);
        assertThat(bytes).isGreaterThanOrEqualTo(layerBytes);
        assertThat(metrics).contains("terrace_agent_image_store_bytes");
        // The launch, step by step (image first: it includes the pull above).
        for (String step : List.of("image", "rootfs", "bundle", "runtime")) {
          String count = "terrace_agent_container_launch_seconds_count{step=\"" + step + "\"} ";
          assertThat(metrics.lines().filter(l -> l.startsWith(count))
              .mapToDouble(l -> Double.parseDouble(l.substring(count.length()))).sum())
              .as(step).isGreaterThanOrEqualTo(1);
        }
        assertThat(metrics).contains("terrace_agent_container_launch_seconds_bucket{step=\"runtime\"");
      }
    }
  }
}
