package dev.terrace.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.agent.image.fixture.BusyboxImage;
import dev.terrace.agent.image.fixture.ImageArchives;
import dev.terrace.agent.image.fixture.OciImage;
import dev.terrace.agent.image.fixture.TarBuilder;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.snapshot.LayerEscapeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Air-gapped images: archives imported into a real content and layer store (as root, as layers
 * keep their owners), with no registry at all: the references used here all name Docker Hub or
 * example.com, which this host cannot reach, so a resolution that went to a registry would fail.
 */
@Tag("linux")
class ImageArchiveLinuxTest {
  private static OciImage busybox;
  private Path dir;
  private Path imageDir;
  private ImageService images;

  @BeforeAll
  static void requirements() throws Exception {
    Assumptions.assumeTrue(ImagePullLinuxTest.isRoot(), "needs root to unpack layers");
    Assumptions.assumeTrue(BusyboxImage.available(), "needs busybox-static");
    busybox = BusyboxImage.image(false);
  }

  @BeforeEach
  void freshStore() throws Exception {
    dir = Files.createTempDirectory("terrace-archives");
    imageDir = Files.createDirectories(dir.resolve("image-dir"));
    images = new ImageService(dir.resolve("images"), RegistrySettings.defaults(),
        new ImageStoreSettings(dir.resolve("containers"), imageDir, 0));
  }

  @AfterEach
  void cleanUp() throws Exception {
    images.close();
    ContainerDirs.deleteUnlessMounted(dir);
  }

  @Test
  void ociLayoutDirectoryInTheImageDirResolvesByItsNameAndTag() throws Exception {
    busybox.writeLayout(imageDir.resolve("busybox"), "1.35");

    images.importImageDir();

    assertThat(images.list()).extracting(ImageSummary::reference)
        .containsExactly("docker.io/library/busybox:1.35");
    PreparedImage prepared = images.prepare("busybox:1.35");
    assertThat(prepared.image().manifestDigest()).isEqualTo(busybox.top().digest());
    assertThat(prepared.layers().get(0).resolve("bin/busybox")).isExecutable();
    assertThat(prepared.config().cmd()).isEqualTo(BusyboxImage.CMD);
  }

  @Test
  void archiveDroppedInLaterIsFoundWhenALaunchAsksForIt() throws Exception {
    images.importImageDir();
    assertThat(images.list()).isEmpty();
    ImageArchives.dockerSave(busybox, List.of("example.com/tools/bb:save"),
        imageDir.resolve("bb.tar"));

    PreparedImage prepared = images.prepare("example.com/tools/bb:save");

    assertThat(prepared.layers().get(0).resolve("bin/sh")).isSymbolicLink();
    assertThat(images.list()).singleElement().satisfies(s -> {
      assertThat(s.source()).isEqualTo(ImageRecord.ARCHIVE);
      assertThat(s.sizeBytes()).isGreaterThan(Files.size(BusyboxImage.BUSYBOX));
    });
  }

  @Test
  void dockerSaveArchiveImportsEveryTag() throws Exception {
    Path file = ImageArchives.dockerSave(busybox, List.of("busybox:a", "busybox:b"),
        dir.resolve("save.tar"));

    List<String> refs = images.importArchive(file);

    assertThat(refs).containsExactly("docker.io/library/busybox:a", "docker.io/library/busybox:b");
    assertThat(images.prepare("busybox:b").config().env()).isEqualTo(BusyboxImage.ENV);
  }

  @Test
  void ociArchiveWithAnIndexPicksTheHostPlatform() throws Exception {
    OciImage arm = OciImage.of("arm64", List.of("true"), List.of(),
        List.of(new TarBuilder().file("arm64-marker", "arm64\n").tar()), false);
    Map<String, OciImage> platforms = new LinkedHashMap<>();
    platforms.put("arm64", arm);
    platforms.put("amd64", busybox);
    Path layout = OciImage.index(platforms).writeLayout(dir.resolve("multi-layout"),
        "registry.example.com/team/multi:2");
    Path file = ImageArchives.tarLayout(layout, dir.resolve("multi.tar"));

    assertThat(images.importArchive(file)).containsExactly("registry.example.com/team/multi:2");
    PreparedImage prepared = images.prepare("registry.example.com/team/multi:2");

    assertThat(prepared.image().manifestDigest()).isEqualTo(busybox.top().digest());
    assertThat(prepared.layers().get(0).resolve("arm64-marker")).doesNotExist();
  }

  @Test
  void archiveEntryThatWouldEscapeIsRefusedAndNothingIsRecorded() throws Exception {
    Path file = Files.write(dir.resolve("evil.tar"), new TarBuilder()
        .file("manifest.json", "[]").file("../../escaped", "x\n").tar());

    assertThatThrownBy(() -> images.importArchive(file))
        .isInstanceOf(LayerEscapeException.class)
        .hasMessageContaining("'../../escaped'").hasMessageContaining("would escape");
    assertThat(images.list()).isEmpty();
    assertThat(dir.getParent().resolve("escaped")).doesNotExist();
  }

  @Test
  void layerThatWouldEscapeFailsTheImport() throws Exception {
    OciImage evil = OciImage.of("amd64", List.of("true"), List.of(),
        List.of(new TarBuilder().file("ok", "fine\n").file("../escape", "escaped\n").tar()),
        false);
    Path file = ImageArchives.dockerSave(evil, List.of("evil:1"), dir.resolve("evil.tar"));

    assertThatThrownBy(() -> images.importArchive(file))
        .hasMessageContaining("escape the layer directory");
    assertThat(images.list()).isEmpty();
  }

  @Test
  void archiveMissingABlobIsRefusedWithTheName() throws Exception {
    Path layout = busybox.writeLayout(dir.resolve("broken"), "1");
    try (var s = Files.list(layout.resolve("blobs/sha256"))) {
      Path biggest = s.max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
          .orElseThrow();
      Files.delete(biggest);
    }

    assertThatThrownBy(() -> images.importArchive(layout))
        .hasMessageContaining("is missing from the archive");
    assertThat(images.list()).isEmpty();
  }
}
