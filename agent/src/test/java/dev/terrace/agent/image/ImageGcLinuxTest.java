package dev.terrace.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.agent.image.fixture.BusyboxImage;
import dev.terrace.agent.image.fixture.ImageArchives;
import dev.terrace.agent.image.fixture.OciImage;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.image.fixture.TarBuilder;
import dev.terrace.agent.rootfs.ContainerDirs;
import dev.terrace.agent.snapshot.OverlaySnapshotter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Image garbage collection on a real store (root: layers keep owners), with a real registry. */
@Tag("linux")
class ImageGcLinuxTest {
  private static OciImage busybox;
  private static OciImage small;
  private Path dir;
  private Path containers;
  private final List<ImageService> services = new ArrayList<>();

  @BeforeAll
  static void requirements() throws Exception {
    Assumptions.assumeTrue(ImagePullLinuxTest.isRoot(), "needs root to unpack layers");
    Assumptions.assumeTrue(SharedRegistry.available(), "needs docker-registry, busybox-static");
    busybox = BusyboxImage.image(false);
    small = OciImage.of("amd64", List.of("true"), List.of(),
        List.of(new TarBuilder().file("marker", "small\n").tar()), false);
  }

  @BeforeEach
  void fresh() throws Exception {
    dir = Files.createTempDirectory("terrace-image-gc");
    containers = Files.createDirectories(dir.resolve("containers"));
  }

  @AfterEach
  void cleanUp() throws Exception {
    services.forEach(ImageService::close);
    ContainerDirs.deleteUnlessMounted(dir);
  }

  private ImageService store(long threshold) throws Exception {
    ImageService s = new ImageService(dir.resolve("images"), RegistrySettings.defaults(),
        new ImageStoreSettings(containers, null, threshold));
    services.add(s);
    return s;
  }

  private long sizeOf(ImageService s, String ref) throws Exception {
    return s.list().stream().filter(i -> i.reference().equals(ref)).findFirst().orElseThrow()
        .sizeBytes();
  }

  @Test
  void collectionRemovesTheLeastRecentlyUsedImagesUntilTheStoreFits() throws Exception {
    ImageService images = store(0);
    images.importArchive(ImageArchives.dockerSave(busybox, List.of("old:1"), dir.resolve("a.tar")));
    images.importArchive(ImageArchives.dockerSave(small, List.of("new:1"), dir.resolve("b.tar")));
    images.release(images.prepare("old:1"));
    long oldUse = System.currentTimeMillis();
    // Last use is kept in milliseconds: let the clock move so that the order is known.
    org.awaitility.Awaitility.await().until(() -> System.currentTimeMillis() > oldUse);
    images.release(images.prepare("new:1")); // used last
    long smallSize = sizeOf(images, "docker.io/library/new:1");
    assertThat(images.diskUsage()).isGreaterThan(smallSize);

    ImageService bounded = store(smallSize + 1024);
    List<String> removed = bounded.collect();

    assertThat(removed).containsExactly("docker.io/library/old:1");
    assertThat(bounded.list()).extracting(ImageSummary::reference)
        .containsExactly("docker.io/library/new:1");
    assertThat(bounded.diskUsage()).isLessThanOrEqualTo(smallSize + 1024);
    assertThat(bounded.prepare("new:1").layers().get(0).resolve("marker")).exists();
  }

  @Test
  void imagesOfContainersAndOfLaunchesInProgressAreNeverCollected() throws Exception {
    ImageService setup = store(0);
    setup.importArchive(ImageArchives.dockerSave(busybox, List.of("running:1"),
        dir.resolve("a.tar")));
    setup.importArchive(ImageArchives.dockerSave(small, List.of("launching:1"),
        dir.resolve("b.tar")));
    // A container (of this or an earlier agent run) names its layers in its directory.
    PreparedImage running = setup.prepare("running:1");
    new OverlaySnapshotter().prepare(containers.resolve("c1"), running.layers());
    setup.release(running);
    ImageService images = store(1); // everything unused must go
    // A launch between its pull and its mount holds a lease.
    PreparedImage launching = images.prepare("launching:1");

    assertThat(images.collect()).isEmpty();
    assertThatThrownBy(() -> images.remove("running:1")).isInstanceOf(ImageInUseException.class);
    assertThat(images.prune()).isEmpty();
    assertThat(running.layers().get(0).resolve("bin/busybox")).exists();
    assertThat(launching.layers().get(0).resolve("marker")).exists();

    images.release(launching);
    ContainerDirs.deleteUnlessMounted(containers.resolve("c1"));
    // With a threshold of 1 byte the release may start a background collection that takes
    // some images first: what counts is that none is left, nor any byte of them.
    images.prune();
    assertThat(images.list()).isEmpty();
    assertThat(images.diskUsage()).isZero();
  }

  @Test
  void aContainerFromBeforeLayerListsIsKnownByItsOverlayMount() throws Exception {
    ImageService images = store(0);
    images.importArchive(ImageArchives.dockerSave(small, List.of("mounted:1"),
        dir.resolve("b.tar")));
    PreparedImage p = images.prepare("mounted:1");
    Path container = containers.resolve("old-c");
    OverlaySnapshotter snapshotter = new OverlaySnapshotter();
    snapshotter.mount(container, p.layers());
    images.release(p);
    Files.delete(container.resolve("snapshot/lowers")); // as an older agent left it
    try {
      assertThatThrownBy(() -> images.remove("mounted:1"))
          .isInstanceOf(ImageInUseException.class);
      assertThat(images.list()).singleElement().satisfies(s -> assertThat(s.inUse()).isTrue());
    } finally {
      snapshotter.unmount(container);
    }
    assertThat(images.prune()).containsExactly("docker.io/library/mounted:1");
  }

  @Test
  void removingAnUnknownImageSaysSoAndChangesNothing() throws Exception {
    ImageService images = store(0);
    images.importArchive(ImageArchives.dockerSave(small, List.of("keep:1"), dir.resolve("b.tar")));
    long before = images.diskUsage();

    assertThatThrownBy(() -> images.remove("nope:1")).hasMessageContaining("no image")
        .hasMessageContaining("docker.io/library/nope:1");
    assertThat(images.diskUsage()).isEqualTo(before);
  }

  @Test
  void prunesRacingConcurrentPullsNeverBreakAPull() throws Exception {
    ImageService images = store(0);
    String ref = SharedRegistry.ref(SharedRegistry.BUSYBOX, SharedRegistry.BUSYBOX_TAG);
    String docker = SharedRegistry.ref("library/busybox-docker", "1");
    ExecutorService pool = Executors.newFixedThreadPool(3);
    AtomicBoolean pulling = new AtomicBoolean(true);
    try {
      Future<Integer> pruner = pool.submit(() -> {
        int prunes = 0;
        while (pulling.get()) {
          images.prune();
          prunes++;
        }
        return prunes;
      });
      List<Future<?>> pulls = new ArrayList<>();
      for (String r : List.of(ref, docker)) {
        pulls.add(pool.submit(() -> {
          for (int i = 0; i < 8; i++) {
            PreparedImage p = images.prepare(r);
            // Leased: no prune may take the layers before the container names them.
            assertThat(p.layers().get(0).resolve("bin/busybox")).exists();
            images.release(p);
          }
          return null;
        }));
      }
      for (Future<?> f : pulls) {
        f.get();
      }
      pulling.set(false);
      assertThat(pruner.get()).isPositive();
    } finally {
      pulling.set(false);
      pool.shutdownNow();
    }
  }
}
