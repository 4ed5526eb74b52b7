package dev.terrace.agent.containerizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.runtime.Binaries;
import dev.terrace.agent.runtime.RuntimeSelector;
import dev.terrace.agent.task.TaskCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Containers from an image in a real registry, through {@link OciContainerizer} with runc: the
 * task runs inside the busybox rootfs (not the host's), with the image's Cmd and Env merged in.
 */
@Tag("linux")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageContainerLinuxTest {
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  private Path workDir;
  private OciContainerizer containerizer;
  private final List<String> launched = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(Files.readAllLines(Path.of("/proc/self/status")).stream()
        .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root");
    Assumptions.assumeTrue(Binaries.find("runc").isPresent(), "runc missing");
    Assumptions.assumeTrue(Binaries.find("conmon").isPresent(), "conmon missing");
    Assumptions.assumeTrue(SharedRegistry.available(),
        "needs docker-registry and busybox-static (scripts/install-test-deps.sh)");
    workDir = Files.createTempDirectory("terrace-image-containers");
    containerizer = OciContainerizer.create(OciContainerizerConfig.defaults(workDir)
        .withRuntime(RuntimeSelector.Preference.RUNC)
        .withRuntimeRoot(workDir.resolve("runtime-state")));
  }

  @AfterEach
  void destroyLaunched() {
    launched.forEach(containerizer::destroy);
    launched.clear();
  }

  @AfterAll
  void stop() throws IOException {
    if (containerizer != null) {
      containerizer.close();
    }
    if (workDir != null) {
      ContainerDirs.deleteUnlessMounted(workDir);
    }
  }

  @Test
  void taskRunsInsideTheBusyboxRootfs() throws Exception {
    ContainerLaunch launch = launch(SharedRegistry.ref(SharedRegistry.BUSYBOX,
        SharedRegistry.BUSYBOX_TAG), List.of("busybox", "sh", "-c",
        "echo hi; cat /etc/os-release 2>/dev/null || echo no-os-release; ls /bin | head;"
            + " echo PWD=$(pwd) VAR=$IMAGE_VAR PATH=$PATH SANDBOX=$MESOS_SANDBOX"), false);

    LaunchedContainer c = containerizer.launch(launch);

    assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT)
        .satisfies(exit -> assertThat(exit.exitCode()).isZero());
    String out = Files.readString(launch.sandbox().resolve("stdout"));
    assertThat(out).startsWith("hi\nno-os-release\n")
        .doesNotContain("PRETTY_NAME")
        .contains("\nbusybox\n")
        .contains("PWD=/mnt/mesos/sandbox VAR=from-image PATH=/usr/sbin:/usr/bin:/sbin:/bin"
            + " SANDBOX=/mnt/mesos/sandbox");
    // The host has /etc/os-release; the task did not see it.
    assertThat(Path.of("/etc/os-release")).exists();
  }

  @Test
  void taskWithoutCommandRunsTheImageCmd() throws Exception {
    ContainerLaunch launch = launch(SharedRegistry.ref(SharedRegistry.BUSYBOX,
        SharedRegistry.BUSYBOX_TAG), List.of(), true);

    LaunchedContainer c = containerizer.launch(launch);

    assertThat(c.exit()).succeedsWithin(EXIT_TIMEOUT)
        .satisfies(exit -> assertThat(exit.exitCode()).isZero());
    assertThat(launch.sandbox().resolve("stdout")).hasContent("image-cmd from-image");
  }

  @Test
  void destroyUnmountsTheImageRootfsAndKeepsTheLayers() throws Exception {
    ContainerLaunch launch = launch(SharedRegistry.ref(SharedRegistry.BUSYBOX,
        SharedRegistry.BUSYBOX_TAG), List.of("sh", "-c", "echo x > /written; sleep 1000"), false);
    String id = launch.containerId();
    containerizer.launch(launch);
    Path dir = containerizer.containerDir(id);
    assertThat(ContainerDirs.mountsUnder(dir)).contains(dir.resolve("rootfs"));

    containerizer.destroy(id);

    assertThat(ContainerDirs.mountsUnder(dir)).isEmpty();
    assertThat(dir).doesNotExist();
    Path layers = workDir.resolve("images/layers/sha256");
    try (var s = Files.list(layers)) {
      // The container's writes went to its own upper directory, never into a shared layer.
      assertThat(s.toList()).isNotEmpty().allSatisfy(l -> assertThat(l.resolve("written"))
          .doesNotExist());
    }
  }

  @Test
  void unknownImageFailsTheLaunchWithAClearMessage() throws Exception {
    ContainerLaunch launch = launch(SharedRegistry.ref(SharedRegistry.BUSYBOX, "no-such-tag"),
        List.of("true"), false);

    assertThatThrownBy(() -> containerizer.launch(launch))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("cannot pull image")
        .hasMessageContaining("library/busybox:no-such-tag: not found");
    assertThat(containerizer.containerDir(launch.containerId())).doesNotExist();
  }

  @Test
  void maliciousImageFailsTheLaunch() throws Exception {
    ContainerLaunch launch = launch(SharedRegistry.ref("library/evil", "1"), List.of("true"),
        false);

    assertThatThrownBy(() -> containerizer.launch(launch))
        .isInstanceOf(ContainerException.class)
        .hasMessageContaining("cannot pull image")
        .hasMessageContaining("escape the layer directory");
    assertThat(containerizer.containerDir(launch.containerId())).doesNotExist();
  }

  private ContainerLaunch launch(String image, List<String> argv, boolean useImageCommand)
      throws IOException {
    String id = "img-" + UUID.randomUUID().toString().substring(0, 8);
    Path sandbox = Files.createDirectories(workDir.resolve("sandboxes").resolve(id));
    launched.add(id);
    Map<String, String> env = new LinkedHashMap<>(TaskCommand.DEFAULT_ENV);
    env.put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
    return new ContainerLaunch(id, sandbox, argv, env, 0.5, 64L << 20, "task-" + id, image,
        useImageCommand);
  }
}
