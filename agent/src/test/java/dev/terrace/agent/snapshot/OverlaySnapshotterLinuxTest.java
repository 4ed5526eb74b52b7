package dev.terrace.agent.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.agent.rootfs.ContainerDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real overlay mounts of plain layer directories (root only). */
@Tag("linux")
class OverlaySnapshotterLinuxTest {
  private Path dir;
  private final OverlaySnapshotter snapshotter = new OverlaySnapshotter();

  @BeforeEach
  void layers() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    // Not /tmp: on some hosts a tmpfs, which overlayfs may not take as an upper layer.
    dir = Files.createTempDirectory(Path.of("/var/tmp"), "terrace-overlay");
    Files.writeString(Files.createDirectories(dir.resolve("bottom/etc")).resolve("a"), "bottom");
    Files.writeString(dir.resolve("bottom/etc/b"), "bottom");
    Files.writeString(Files.createDirectories(dir.resolve("top/etc")).resolve("b"), "top");
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (dir != null) {
      snapshotter.unmount(dir.resolve("c1"));
      ContainerDirs.deleteUnlessMounted(dir);
    }
  }

  @Test
  void upperLayersWinWritesGoToTheContainerAndTheMountIsVolatile() throws Exception {
    Path container = dir.resolve("c1");
    Path root = snapshotter.mount(container, List.of(dir.resolve("bottom"), dir.resolve("top")));

    assertThat(root.resolve("etc/a")).hasContent("bottom");
    assertThat(root.resolve("etc/b")).hasContent("top");
    Files.writeString(root.resolve("etc/c"), "mine");
    assertThat(container.resolve("snapshot/upper/etc/c")).hasContent("mine");
    assertThat(dir.resolve("top/etc/c")).doesNotExist();
    // Linux 5.10+ (this host's kernel is newer): no sync of the agent's disk at unmount.
    assertThat(mountOptions(root)).contains("volatile").contains("lowerdir=");

    snapshotter.unmount(container);
    assertThat(ContainerDirs.mountsUnder(container)).isEmpty();
  }

  /**
   * More layers than a page of mount options holds with their store paths: they are mounted
   * through short links in the store (as Docker's overlay2 does), and all of them are seen.
   */
  @Test
  void manyStoreLayersMountThroughShortLinks() throws Exception {
    List<Path> layers = storeLayers(60);
    int fullLength = layers.stream().mapToInt(p -> p.toString().length() + 1).sum();
    assertThat(fullLength).as("too long for one mount with full paths").isGreaterThan(4096);

    Path root = snapshotter.mount(dir.resolve("c1"), layers);

    assertThat(root.resolve("which")).hasContent("59"); // the top layer wins
    assertThat(root.resolve("only-0")).hasContent("0");
    assertThat(root.resolve("only-30")).hasContent("30");
    assertThat(root.resolve("only-59")).hasContent("59");
    assertThat(mountOptions(root)).contains("/l/");
    // What image garbage collection reads still names the layers themselves.
    assertThat(Files.readAllLines(dir.resolve("c1/snapshot/lowers")))
        .containsExactlyElementsOf(layers.stream().map(Path::toString).toList());
  }

  /**
   * Past a page even with short links: one fsconfig call per layer (Linux 6.8+, as here), up to
   * overlayfs' own limit of 500 layers; past that a clear error with the count.
   */
  @Test
  void longerStacksMountThroughTheNewMountApiUpToOverlayfsLimit() throws Exception {
    Assumptions.assumeTrue(kernelAtLeast(6, 8), "lowerdir+ needs Linux 6.8");
    List<Path> layers = storeLayers(200);

    Path root = snapshotter.mount(dir.resolve("c1"), layers);

    assertThat(root.resolve("which")).hasContent("199");
    assertThat(root.resolve("only-0")).hasContent("0");
    assertThat(root.resolve("only-150")).hasContent("150");
    assertThat(mountOptions(root)).contains("volatile");
    snapshotter.unmount(dir.resolve("c1"));

    List<Path> tooMany = storeLayers(501);
    assertThatThrownBy(() -> snapshotter.mount(dir.resolve("c2"), tooMany))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("too many layers (501)");
    assertThat(ContainerDirs.mountsUnder(dir)).isEmpty();
  }

  private static boolean kernelAtLeast(int major, int minor) {
    String[] v = System.getProperty("os.version").split("[.-]");
    int ma = Integer.parseInt(v[0]);
    int mi = Integer.parseInt(v[1]);
    return ma > major || (ma == major && mi >= minor);
  }

  /** {@code n} layer directories in a store layout, bottom first, each with its own files. */
  private List<Path> storeLayers(int n) throws Exception {
    List<Path> layers = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      String hex = String.format("%064x", new java.math.BigInteger(1,
          java.security.MessageDigest.getInstance("SHA-256").digest(("layer" + i).getBytes())));
      Path layer = dir.resolve("store/sha256").resolve(hex);
      if (!Files.isDirectory(layer)) {
        Files.createDirectories(layer);
        Files.writeString(layer.resolve("which"), Integer.toString(i));
        Files.writeString(layer.resolve("only-" + i), Integer.toString(i));
      }
      layers.add(layer);
    }
    return layers;
  }

  /** The super options of the mount at {@code target}, from /proc/self/mountinfo. */
  private static String mountOptions(Path target) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && f[4].equals(target.toString())) {
        return f[f.length - 1];
      }
    }
    throw new AssertionError("no mount at " + target);
  }
}
