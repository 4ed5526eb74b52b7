package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.Resource;
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
 * A task runs as the user its image's config names (resolved in the image's own /etc/passwd and
 * /etc/group, supplementary groups included), or as its command's user when it names one; either
 * way it can write its sandbox. Checked from inside real containers.
 */
@Tag("linux")
class TaskUserLinuxTest {
  private static final String PROBE = "echo \"UID: $(id -u)\"; echo \"GID: $(id -g)\";"
      + " echo \"GROUPS: $(id -G)\"; echo \"HOSTUSER: $(grep -c . /etc/passwd)\";"
      + " touch written && echo \"OWNER: $(stat -c %u:%g written)\"";

  @Test
  void aTaskRunsAsItsImagesUserUnlessItsCommandNamesAnother() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root; skipped");
    Assumptions.assumeTrue(SharedRegistry.available(),
        "needs docker-registry and busybox-static (scripts/install-test-deps.sh); skipped");
    String image = SharedRegistry.ref(SharedRegistry.BUSYBOX_USER, "1");
    try (InProcessCluster cluster =
        InProcessCluster.builder().containerizer(Containerizers.real()).start()) {
      RecordingScheduler scheduler = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(),
          FrameworkInfo.of("root", "users"), scheduler).build().start()) {
        TaskId imageUser = Tasks.newId("image-user");
        TaskStatus first = run(client, scheduler, imageUser, image, null);
        String out = Sandboxes.stdout(cluster.workDir(), imageUser);
        assertThat(first.state()).as(first.message() + "\n" + out).isEqualTo(TaskState.TASK_FINISHED);
        assertThat(out).contains("UID: 1000\n", "GID: 1000\n", "GROUPS: 1000 2000\n",
            "HOSTUSER: 3\n", "OWNER: 1000:1000\n");

        TaskId commandUser = Tasks.newId("command-user");
        TaskStatus second = run(client, scheduler, commandUser, image, "nobody");
        out = Sandboxes.stdout(cluster.workDir(), commandUser);
        assertThat(second.state()).as(second.message() + "\n" + out).isEqualTo(TaskState.TASK_FINISHED);
        assertThat(out).contains("UID: 65534\n", "GID: 65534\n", "GROUPS: 65534 2000\n",
            "OWNER: 65534:65534\n");

        TaskId unknown = Tasks.newId("unknown-user");
        TaskStatus third = run(client, scheduler, unknown, image, "no-such-user");
        assertThat(third.state()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(third.message()).contains("no-such-user");
      }
    }
  }

  private static TaskStatus run(SchedulerClient client, RecordingScheduler scheduler, TaskId id,
      String image, String user) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 64).isPresent());
    Offer offer = scheduler.offerWith(0.1, 64).orElseThrow();
    scheduler.rescinded.add(offer.id());
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    TaskInfo task = TaskInfo.command(id.value(), id, offer.agentId(),
        List.of(Resource.scalar("cpus", 0.1).withAllocationRole(role),
            Resource.scalar("mem", 64).withAllocationRole(role)),
        new CommandInfo(null, null, true, PROBE, null, user))
        .withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
            new ContainerInfo.MesosInfo(Image.docker(image)), null));
    client.launch(offer, List.of(task)).join();
    await().atMost(Duration.ofSeconds(120)).until(() -> scheduler.terminal(id).isPresent());
    return scheduler.terminal(id).orElseThrow();
  }
}
