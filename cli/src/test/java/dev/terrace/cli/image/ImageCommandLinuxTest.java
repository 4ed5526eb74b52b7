package dev.terrace.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.AgentConfig;
import dev.terrace.agent.AgentServer;
import dev.terrace.agent.containerizer.ContainerLaunch;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.containerizer.OciContainerizerConfig;
import dev.terrace.agent.image.fixture.BusyboxImage;
import dev.terrace.agent.image.fixture.ImageArchives;
import dev.terrace.agent.image.fixture.OciImage;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.image.fixture.TarBuilder;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.runtime.Binaries;
import dev.terrace.agent.runtime.RuntimeSelector;
import dev.terrace.agent.task.TaskCommand;
import dev.terrace.cli.Terrace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import picocli.CommandLine;

/**
 * {@code terrace image} against a real agent (real OCI containerizer with runc, real layer store)
 * started with an image directory, and the test registry for {@code pull}.
 */
@Tag("linux")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageCommandLinuxTest {
  private Path dir;
  private Path imageDir;
  private OciContainerizer containerizer;
  private AgentServer agent;
  private OciImage busybox;

  /** What one command printed and returned. */
  record Run(int code, String out, String err) {}

  @BeforeAll
  void startAgent() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    Assumptions.assumeTrue(Binaries.find("runc").isPresent(), "runc missing");
    Assumptions.assumeTrue(Binaries.find("conmon").isPresent(), "conmon missing");
    Assumptions.assumeTrue(SharedRegistry.available(), "needs docker-registry, busybox-static");
    dir = Files.createTempDirectory("terrace-image-cli");
    imageDir = Files.createDirectories(dir.resolve("image-dir"));
    busybox = BusyboxImage.image(false);
    busybox.writeLayout(imageDir.resolve("busybox"), "1.35");
    Path work = dir.resolve("agent");
    containerizer = OciContainerizer.create(OciContainerizerConfig.defaults(work)
        .withRuntime(RuntimeSelector.Preference.RUNC)
        .withRuntimeRoot(work.resolve("runtime-state"))
        .withImageStore(imageDir, 0));
    // No master: the agent keeps trying to reach it, which nothing here needs.
    agent = AgentServer.start(new AgentConfig("http://127.0.0.1:9", "127.0.0.1", "127.0.0.1", 0,
        work, "cpus:1;mem:256", null, "runc", false), containerizer, Duration.ofSeconds(10));
  }

  @AfterAll
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (dir != null) {
      ContainerDirs.deleteUnlessMounted(dir);
    }
  }

  private Run image(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      String[] all = new String[args.length + 3];
      all[0] = "image";
      all[1] = "--agent";
      all[2] = agent.url();
      System.arraycopy(args, 0, all, 3, args.length);
      int code = new CommandLine(new Terrace()).execute(all);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void importListRemoveAndPruneThroughTheAgent() throws Exception {
    // The layout in --image-dir was imported at start under its directory name.
    assertThat(image("ls").out()).contains("docker.io/library/busybox:1.35").contains("archive");

    Path save = ImageArchives.dockerSave(busybox, List.of("example.com/tools/bb:7"),
        dir.resolve("bb.tar"));
    Run imported = image("import", save.toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported example.com/tools/bb:7");

    // A task of the imported image holds it: rm is refused until the container is gone.
    String id = "imgcli-" + UUID.randomUUID().toString().substring(0, 8);
    Path sandbox = Files.createDirectories(dir.resolve("sandboxes").resolve(id));
    Map<String, String> env = new LinkedHashMap<>(TaskCommand.DEFAULT_ENV);
    containerizer.launch(new ContainerLaunch(id, sandbox, List.of("sleep", "1000"), env, 0.1,
        32L << 20, "t-" + id, "example.com/tools/bb:7", false));
    try {
      assertThat(image("ls").out()).containsPattern("example.com/tools/bb:7 .* yes ");
      Run refused = image("rm", "example.com/tools/bb:7");
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err()).contains("is used by a container");
    } finally {
      containerizer.destroy(id);
    }

    Run removed = image("rm", "busybox:1.35");
    assertThat(removed.code()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("removed docker.io/library/busybox:1.35");
    String listed = image("ls").out();
    assertThat(listed).doesNotContain("busybox:1.35").contains("example.com/tools/bb:7");

    Run pruned = image("prune");
    assertThat(pruned.out()).contains("removed example.com/tools/bb:7");
    assertThat(image("ls").out()).doesNotContain("example.com");
    // Nothing is left in the store: every blob and layer went with the last image.
    assertThat(image("ls").out()).contains("store: 0 B");
  }

  @Test
  void archiveThatWouldEscapeIsRefusedWithTheReason() throws Exception {
    Path evil = Files.write(dir.resolve("evil.tar"), new TarBuilder()
        .file("manifest.json", "[]").file("../../escaped", "x\n").tar());

    Run r = image("import", evil.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("'../../escaped'").contains("would escape");
  }

  @Test
  void slowPullShowsItsProgress() throws Exception {
    long layerBytes = SharedRegistry.busybox().blobs().values().stream()
        .filter(b -> b.mediaType().contains("layer")).mapToLong(b -> b.bytes().length).sum();
    try (var slow = new dev.terrace.agent.image.fixture.SlowRegistryProxy(
        SharedRegistry.get().host(), layerBytes / 3)) {
      String ref = slow.host() + "/" + SharedRegistry.BUSYBOX + ":" + SharedRegistry.BUSYBOX_TAG;

      Run r = image("pull", ref);

      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains(ref);
      assertThat(r.err()).containsPattern("\\[#* *\\] \\d+% [0-9.]+ KiB of [0-9.]+ KiB");
      assertThat(image("rm", ref).code()).isZero();
    }
  }

  @Test
  void pullFromARegistryShowsInTheList() {
    String ref = SharedRegistry.ref("library/busybox-docker", "1");

    Run r = image("pull", ref);

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(image("ls").out()).contains(ref).contains("registry");
    assertThat(image("rm", ref).code()).isZero();
  }
}
