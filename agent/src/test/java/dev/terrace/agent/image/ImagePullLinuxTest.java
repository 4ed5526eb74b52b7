package dev.terrace.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.agent.content.Digest;
import dev.terrace.agent.image.fixture.OciImage;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.snapshot.LayerEscapeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pulls from a real registry (Debian's docker-registry on loopback) holding a busybox image built
 * offline by the test fixtures. Needs root (layer owners and devices) and docker-registry.
 */
@Tag("linux")
class ImagePullLinuxTest {
  private Path dir;
  private ImageService images;

  @BeforeAll
  static void requirements() {
    Assumptions.assumeTrue(isRoot(), "needs root to unpack layers as the image says");
    Assumptions.assumeTrue(SharedRegistry.available(),
        "needs docker-registry and busybox-static (scripts/install-test-deps.sh)");
  }

  @BeforeEach
  void freshStore() throws Exception {
    dir = Files.createTempDirectory("terrace-images");
    images = new ImageService(dir, RegistrySettings.defaults());
  }

  @AfterEach
  void cleanUp() throws Exception {
    images.close();
    ContainerDirs.deleteUnlessMounted(dir);
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Test
  void pullsAndUnpacksBusyboxMeasuringEachStep() throws Exception {
    ImageReference ref = ImageReference.parse(
        SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG));
    long t0 = System.nanoTime();
    PulledImage pulled = images.puller().pull(ref);
    long t1 = System.nanoTime();
    PreparedImage prepared = images.unpack(pulled);
    long t2 = System.nanoTime();

    OciImage expected = SharedRegistry.busybox();
    assertThat(pulled.manifestDigest()).isEqualTo(expected.top().digest());
    assertThat(pulled.config().cmd()).containsExactly("sh", "-c", "echo image-cmd $IMAGE_VAR");
    Path layer = prepared.layers().get(0);
    assertThat(layer.resolve("bin/busybox")).isExecutable();
    assertThat(Files.readSymbolicLink(layer.resolve("bin/sh"))).hasToString("/bin/busybox");
    assertThat(layer.resolve("etc/os-release")).doesNotExist();
    long blobBytes = 0;
    for (Descriptor d : pulled.layers()) {
      blobBytes += d.size();
    }
    long entries;
    try (var s = Files.walk(layer)) {
      entries = s.count();
    }
    // Figures for the record, never asserted.
    System.out.printf("busybox image: pull %.1f ms (%d layer bytes, compressed), unpack %.1f ms"
            + " (%d entries)%n", (t1 - t0) / 1e6, blobBytes, (t2 - t1) / 1e6, entries);
  }

  @Test
  void dockerSchema2ImagesPullToo() throws Exception {
    PreparedImage p = images.prepare(SharedRegistry.ref("library/busybox-docker", "1"));
    assertThat(p.layers().get(0).resolve("bin/busybox")).isExecutable();
  }

  @Test
  void anIndexPicksTheHostPlatformManifest() throws Exception {
    Assumptions.assumeTrue(Platform.host().architecture().equals("amd64"),
        "the index holds amd64 and arm64 manifests; this host is " + Platform.host());
    PulledImage pulled = images.puller().pull(
        ImageReference.parse(SharedRegistry.ref("library/multi", "1")));
    assertThat(pulled.manifestDigest()).isEqualTo(SharedRegistry.busybox().top().digest());
    PreparedImage prepared = images.unpack(pulled);
    assertThat(prepared.layers().get(0).resolve("bin/busybox")).exists();
    assertThat(prepared.layers().get(0).resolve("arm64-marker")).doesNotExist();
  }

  @Test
  void pullByDigest() throws Exception {
    Digest digest = SharedRegistry.busybox().top().digest();
    PulledImage pulled = images.puller().pull(ImageReference.parse(
        SharedRegistry.get().host() + "/" + SharedRegistry.BUSYBOX + "@" + digest));
    assertThat(pulled.manifestDigest()).isEqualTo(digest);
  }

  @Test
  void unknownTagOrRepositoryFailsWithAClearError() {
    assertThatThrownBy(() -> images.prepare(SharedRegistry.ref(SharedRegistry.BUSYBOX, "nope")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("library/busybox:nope: not found")
        .hasMessageContaining("MANIFEST_UNKNOWN");
    assertThatThrownBy(() -> images.prepare(SharedRegistry.ref("library/absent", "1")))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("not found");
  }

  @Test
  void maliciousLayerIsRefusedAndLeavesNoLayer() throws Exception {
    assertThatThrownBy(() -> images.prepare(SharedRegistry.ref("library/evil", "1")))
        .isInstanceOf(LayerEscapeException.class)
        .hasMessageContaining("'../escape'");
    try (var s = Files.list(dir.resolve("layers").resolve("sha256"))) {
      assertThat(s).isEmpty();
    }
    assertThat(dir.resolve("layers").resolve("tmp")).isEmptyDirectory();
    assertThat(dir.resolve("layers").resolve("escape")).doesNotExist();
  }

  /**
   * Mesos' {@code Image.cached} (default true): a cached tag is used as it is, with no registry
   * round trip at launch, even after the tag moved; a forced pull ({@code cached: false}) asks
   * the registry and gets the moved tag.
   */
  @Test
  void aCachedTagIsUsedAsItIsUntilAPullIsForced() throws Exception {
    String repository = "library/moving-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String ref = SharedRegistry.ref(repository, "1");
    OciImage first = OciImage.of("amd64", List.of("true"), List.of("VERSION=1"),
        List.of(new dev.terrace.agent.image.fixture.TarBuilder().file("v", "1\n").tar()), false);
    OciImage second = OciImage.of("amd64", List.of("true"), List.of("VERSION=2"),
        List.of(new dev.terrace.agent.image.fixture.TarBuilder().file("v", "2\n").tar()), false);
    SharedRegistry.get().push(repository, "1", first);
    PreparedImage pulled = images.prepare(ref);
    images.release(pulled);
    assertThat(pulled.config().env()).contains("VERSION=1");

    SharedRegistry.get().push(repository, "1", second); // the tag moves

    PreparedImage cached = images.prepare(ref);
    images.release(cached);
    assertThat(cached.config().env()).contains("VERSION=1");
    assertThat(cached.layers().get(0).resolve("v")).hasContent("1");
    PreparedImage forced = images.prepare(ref, true);
    images.release(forced);
    assertThat(forced.config().env()).contains("VERSION=2");
    assertThat(forced.layers().get(0).resolve("v")).hasContent("2");
    // And the record follows: the tag now means the image pulled last.
    assertThat(images.prepare(ref).config().env()).contains("VERSION=2");
  }

  @Test
  void twoConcurrentPullsFetchEachBlobOnce() throws Exception {
    ImageReference ref = ImageReference.parse(
        SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG));
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<PreparedImage>> pulls = new ArrayList<>();
      Callable<PreparedImage> pull = () -> {
        start.await();
        return images.prepare(ref.toString());
      };
      pulls.add(pool.submit(pull));
      pulls.add(pool.submit(pull));
      PreparedImage a = pulls.get(0).get();
      PreparedImage b = pulls.get(1).get();
      assertThat(a.layers()).isEqualTo(b.layers());
      RegistryClient client = images.puller().client();
      List<Digest> blobs = new ArrayList<>();
      a.image().layers().forEach(d -> blobs.add(d.digest()));
      blobs.add(SharedRegistry.busybox().blobs().values().stream()
          .filter(x -> x.mediaType().equals(MediaTypes.OCI_CONFIG)).findFirst().orElseThrow()
          .digest());
      for (Digest d : blobs) {
        assertThat(client.blobRequests(d)).as("GETs of blob %s", d).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
