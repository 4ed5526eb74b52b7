package dev.terrace.bench.containers;

import dev.terrace.agent.image.ImageService;
import dev.terrace.agent.image.ImageStoreSettings;
import dev.terrace.agent.image.RegistrySettings;
import dev.terrace.agent.image.fixture.BusyboxImage;
import dev.terrace.agent.image.fixture.OciImage;
import dev.terrace.agent.image.fixture.SharedRegistry;
import dev.terrace.agent.image.fixture.TarBuilder;
import dev.terrace.agent.rootfs.ContainerDirs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The agent's cold pull (download and unpack into an empty image store) of one image. */
final class ColdPulls {
  /** A bigger image: busybox plus three layers of 100 incompressible 128 KiB files (~38 MiB). */
  static final String BIG_REPOSITORY = "bench/big";

  private ColdPulls() {}

  /** Pushes the bigger image to the shared registry and returns its reference. */
  static String pushBigImage() throws Exception {
    List<byte[]> layers = new ArrayList<>();
    layers.add(BusyboxImage.layer());
    Random random = new Random(42); // the same image in every run
    for (int l = 0; l < 3; l++) {
      TarBuilder tar = new TarBuilder().dir("data" + l, 0755);
      for (int f = 0; f < 100; f++) {
        byte[] content = new byte[128 << 10];
        random.nextBytes(content);
        tar.file("data" + l + "/f" + f, 0644, content);
      }
      layers.add(tar.tar());
    }
    SharedRegistry.get().push(BIG_REPOSITORY, "1",
        OciImage.of("amd64", List.of("/bin/true"), List.of(), layers, false));
    return SharedRegistry.ref(BIG_REPOSITORY, "1");
  }

  /** Pulls {@code image} into a new image store each round. */
  static Samples agent(Path dir, String image, int rounds) throws Exception {
    Samples times = new Samples();
    for (int r = 0; r < rounds; r++) {
      Path root = dir.resolve("agent-pull-" + r);
      ImageService images = new ImageService(root, RegistrySettings.defaults(),
          ImageStoreSettings.none());
      try {
        long t0 = System.nanoTime();
        images.release(images.prepare(image));
        times.since(t0);
      } finally {
        images.close();
        ContainerDirs.deleteUnlessMounted(root);
      }
    }
    return times;
  }
}
