package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.sdk.SchedulerClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A framework launches a task from a container image in a real registry (Debian's
 * docker-registry, holding a busybox image the fixtures build offline): the agent pulls it and the
 * task runs in the image's root filesystem, not the host's.
 */
@Tag("linux")
class ImageTaskLinuxTest {

  @Test
  void taskFromARegistryImageRunsInTheImage() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root; skipped");
    Assumptions.assumeTrue(SharedRegistry.available(),
        "needs docker-registry and busybox-static (scripts/install-test-deps.sh); skipped");
    String image = SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG);
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.real()).start()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("root", "images"),
          scheduler).build().start()) {
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 64).isPresent());
        Offer offer = scheduler.offerWith(0.1, 64).orElseThrow();
        TaskId id = Tasks.newId("image");
        TaskInfo task = Tasks.shell(id, offer, 0.1, 64,
            "echo INSIDE; cat /etc/os-release 2>/dev/null || echo no-os-release; echo TASK=$MESOS_TASK_ID")
            .withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
                new ContainerInfo.MesosInfo(Image.docker(image)), null));
        client.launch(offer, List.of(task)).join();
        scheduler.rescinded.add(offer.id()); // used up
        await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.terminal(id).isPresent());
        TaskStatus end = scheduler.terminal(id).orElseThrow();
        assertThat(end.state()).as(end.message()).isEqualTo(TaskState.TASK_FINISHED);
        String out = Sandboxes.stdout(cluster.workDir(), id);
        assertThat(out).contains("INSIDE\nno-os-release\nTASK=" + id.value());

        TaskId missing = Tasks.newId("no-such-image");
        await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 64).isPresent());
        Offer second = scheduler.offerWith(0.1, 64).orElseThrow();
        client.launch(second, List.of(Tasks.shell(missing, second, 0.1, 64, "true").withContainer(
            new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null, new ContainerInfo.MesosInfo(
                Image.docker(SharedRegistry.ref(SharedRegistry.BUSYBOX, "no-such-tag"))), null)))).join();
        await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.terminal(missing).isPresent());
        TaskStatus failed = scheduler.terminal(missing).orElseThrow();
        assertThat(failed.state()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.message()).contains("no-such-tag");
      }
    }
  }
}
