package dev.terrace.cli.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.content.Digest;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.Image;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskState;
import dev.terrace.common.model.TaskStatus;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault: the registry goes away in the middle of a pull (its manifest came through; every blob
 * download is then cut off half way, retries included).
 *
 * <p>Documented outcome: the task ends TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED) with a message
 * naming the image and the blob that could not be fetched after its retries; nothing partial is kept (no half
 * blob, no half-unpacked layer, every stored blob matches its digest); the agent stays healthy,
 * and once the registry is back the same image pulls and the task runs. Invariants of
 * {@link InvariantChecker} hold.
 */
@Tag("faults")
@Tag("linux")
class RegistryOutageFaultLinuxTest {

  @Test
  void aPullCutOffMidwayFailsCleanlyAndSucceedsOnceTheRegistryIsBack() throws Exception {
    RealHosts.assume(false);
    Assumptions.assumeTrue(SharedRegistry.available(), "needs docker-registry and busybox-static; skipped");
    try (BlobCuttingProxy registry = new BlobCuttingProxy(SharedRegistry.get().host());
        InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.real()).start();
        FaultFramework framework = new FaultFramework(cluster.zkUrl());
        InvariantChecker invariants = InvariantChecker.on(cluster)) {
      ContainerInfo image = new ContainerInfo(ContainerInfo.Type.MESOS, null, null, null,
          new ContainerInfo.MesosInfo(Image.docker(registry.host() + "/" + SharedRegistry.BUSYBOX + ":"
              + SharedRegistry.BUSYBOX_TAG)), null);

      registry.cutting(true);
      TaskId cutOff = framework.launch("cut-off", o -> true, 32, "true", image);
      TaskStatus failed = framework.awaitState(cutOff, TaskState.TASK_FAILED);
      assertThat(registry.cutDownloads()).isPositive();
      assertThat(failed.reason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(failed.message()).contains(SharedRegistry.BUSYBOX).contains("blob sha256:").contains("failed 4 times");
      Path images = cluster.workDir().resolve("agent-0").resolve("images");
      assertNothingPartial(images);

      registry.cutting(false);
      TaskId pulled = framework.launch("pulled", o -> true, 32, "echo pulled", image);
      TaskStatus finished = framework.awaitState(pulled, TaskState.TASK_FINISHED);
      assertThat(finished.state()).isEqualTo(TaskState.TASK_FINISHED);
      assertNothingPartial(images);
      invariants.verify(framework);
    }
  }

  /** No blob or layer half-way in its tmp dir, and every blob in place matches its name. */
  private static void assertNothingPartial(Path images) throws Exception {
    assertThat(list(images.resolve("blobs").resolve("tmp"))).isEmpty();
    assertThat(list(images.resolve("layers").resolve("tmp"))).isEmpty();
    for (Path blob : list(images.resolve("blobs").resolve("sha256"))) {
      assertThat(Digest.of(Files.readAllBytes(blob)).hex()).as("blob %s", blob).isEqualTo(blob.getFileName().toString());
    }
  }

  private static List<Path> list(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
