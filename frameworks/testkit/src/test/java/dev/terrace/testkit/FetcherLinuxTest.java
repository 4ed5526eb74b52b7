package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.agent.fetcher.Archives;
import dev.terrace.agent.fetcher.FileServer;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The agent fetches a task's URIs from a real HTTP server into the sandbox before the container
 * starts: the task (busybox image, real runtime) reads the extracted archive and runs its script;
 * a URI that cannot be fetched fails the task with REASON_CONTAINER_LAUNCH_FAILED and the cause.
 */
@Tag("linux")
class FetcherLinuxTest {

  @Test
  void taskReadsWhatTheAgentFetchedAndAFailedFetchFailsTheLaunch() throws Exception {
    RealContainers.assume();
    Assumptions.assumeTrue(SharedRegistry.available(),
        "needs docker-registry and busybox-static (scripts/install-test-deps.sh); skipped");
    String image = SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG);
    try (FileServer files = new FileServer();
         InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.real()).start()) {
      files.serve("/app.tgz", Archives.tar(true, "app/greeting.txt", "fetched hello", 0644,
          "app/run.sh", "#!/bin/sh\necho script ran\n", 0755));
      files.serve("/note.txt", "plain note".getBytes(StandardCharsets.UTF_8));
      RecordingScheduler scheduler = new RecordingScheduler();
      try (SchedulerClient client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("root", "fetch"),
          scheduler).build().start()) {
        TaskId id = Tasks.newId("fetch");
        run(client, scheduler, id, image, List.of(
            new CommandInfo.Uri(files.url("/app.tgz"), null, null, true, null),
            new CommandInfo.Uri(files.url("/note.txt"), null, null, null, "conf/note")),
            "cat app/greeting.txt; echo; ./app/run.sh; cat $MESOS_SANDBOX/conf/note");
        TaskStatus end = scheduler.terminal(id).orElseThrow();
        assertThat(end.state()).as(end.message()).isEqualTo(TaskState.TASK_FINISHED);
        assertThat(Sandboxes.stdout(cluster.workDir(), id))
            .contains("fetched hello\nscript ran\nplain note");

        TaskId broken = Tasks.newId("fetch-404");
        run(client, scheduler, broken, image, List.of(
            new CommandInfo.Uri(files.url("/missing.tgz"), null, null, null, null)), "true");
        TaskStatus failed = scheduler.terminal(broken).orElseThrow();
        assertThat(failed.state()).isEqualTo(TaskState.TASK_FAILED);
        assertThat(failed.reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
        assertThat(failed.message()).contains("Failed to fetch URIs").contains("/missing.tgz")
            .contains("HTTP 404");
      }
    }
  }

  private static void run(SchedulerClient client, RecordingScheduler scheduler, TaskId id, String image,
      List<CommandInfo.Uri> uris, String command) {
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.offerWith(0.1, 64).isPresent());
    Offer offer = scheduler.offerWith(0.1, 64).orElseThrow();
    scheduler.rescinded.add(offer.id()); // used up
    String role = offer.allocationInfo() == null ? "*" : offer.allocationInfo().role();
    TaskInfo task = TaskInfo.command(id.value(), id, offer.agentId(),
        List.of(Resource.scalar("cpus", 0.1).withAllocationRole(role),
            Resource.scalar("mem", 64).withAllocationRole(role)),
        new CommandInfo(uris, null, true, command, null, null))
        .withContainer(new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
            new ContainerInfo.MesosInfo(Image.docker(image)), null));
    client.launch(offer, List.of(task)).join();
    await().atMost(Duration.ofSeconds(60)).until(() -> scheduler.terminal(id).isPresent());
  }
}
