package dev.terrace.agent.snapshot;

import dev.terrace.agent.rootfs.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's root filesystem from image layers: an overlayfs whose lower directories are the
 * unpacked layers (top first, as overlayfs wants them) and whose upper and work directories belong
 * to the container alone. Layout under the container directory:
 *
 * <pre>
 *   snapshot/upper/   the container's writes (copy-up)
 *   snapshot/work/    overlayfs' work directory (same file system as upper)
 *   snapshot/empty/   the lower layer of an image without layers
 *   snapshot/lowers   the layer directories, one a line (what keeps them from image GC)
 *   rootfs/           the mount, root.path of the bundle
 * </pre>
 */
public final class OverlaySnapshotter {
  private static final Logger LOG = LoggerFactory.getLogger(OverlaySnapshotter.class);
  /** mount(2) copies at most one page of option data. */
  private static final int MAX_MOUNT_DATA = 4095;

  /**
   * overlayfs' {@code volatile} (Linux 5.10+): no sync of the upper file system, neither on
   * fsync in the container nor at unmount. Without it every container's unmount syncs the whole
   * upper file system (the agent's work dir), and the next launch waits on that journal flush:
   * measured here, a {@code crun run} right after an overlay unmount took 20 ms instead of 12.
   * What it gives up is the writable layer's content after a host crash, which nothing reads
   * again: no container survives a reboot, and an agent restart finds its mounts still there.
   */
  private static final String VOLATILE = ",volatile";

  /** Cleared the first time the kernel refuses {@link #VOLATILE}, to stop asking. */
  private volatile boolean volatileUpper = true;

  /**
   * The overlay mount {@link #mount} made or would make: its target, and its options as one
   * string, which may be longer than mount(2) takes (then {@link #fits} is false).
   */
  public record Mount(Path target, String options, List<Path> lowersTopFirst, Path upper,
      Path work) {
    boolean fits() {
      return options.length() <= MAX_MOUNT_DATA;
    }
  }

  /**
   * Builds the mount for {@code layersBottomFirst} (as the image lists them) under
   * {@code containerDir}, creating the container's directories; pure apart from mkdir.
   */
  public Mount prepare(Path containerDir, List<Path> layersBottomFirst) throws IOException {
    Path snapshot = containerDir.resolve("snapshot");
    Path upper = Files.createDirectories(snapshot.resolve("upper"));
    Path work = Files.createDirectories(snapshot.resolve("work"));
    Path rootfs = Files.createDirectories(containerDir.resolve("rootfs"));
    List<Path> lowers = new ArrayList<>(layersBottomFirst);
    Collections.reverse(lowers);
    if (lowers.isEmpty()) {
      lowers.add(Files.createDirectories(snapshot.resolve("empty")));
    }
    List<Path> all = new ArrayList<>(lowers);
    all.add(upper);
    all.add(work);
    for (Path p : all) {
      checkOptionSafe(p);
    }
    String options = options(lowers, upper, work);
    if (options.length() > MAX_MOUNT_DATA) {
      // Many layers: name them by their short links in the store (see ShortLayerLinks).
      List<Path> shortened = new ArrayList<>();
      for (Path lower : lowers) {
        shortened.add(ShortLayerLinks.of(lower));
      }
      lowers = shortened;
      options = options(lowers, upper, work);
    }
    // What image garbage collection reads to keep this container's layers (LayerUsage).
    Files.write(snapshot.resolve(LayerUsage.LOWERS_FILE), layersBottomFirst.stream()
        .map(Path::toString).collect(Collectors.joining("\n", "", "\n")).getBytes());
    return new Mount(rootfs, options, List.copyOf(lowers), upper, work);
  }

  /**
   * Mounts the overlay for {@code layersBottomFirst} and returns the rootfs path: volatile when
   * the kernel has it and the options still fit in a page.
   */
  public Path mount(Path containerDir, List<Path> layersBottomFirst) throws IOException {
    Mount m = prepare(containerDir, layersBottomFirst);
    if (!m.fits()) {
      // More layers than a page of options names even by short links: one fsconfig call per
      // layer (Linux 6.8+).
      try {
        OverlayFsConfig.mount(m.lowersTopFirst(), m.upper(), m.work(), volatileUpper, m.target());
        return m.target();
      } catch (IOException e) {
        throw new IOException("image has too many layers (" + m.lowersTopFirst().size()
            + ") for one overlay mount: the options take " + m.options().length()
            + " bytes even with short layer links, mount(2) accepts " + MAX_MOUNT_DATA
            + ", and the new mount API failed (" + e.getMessage() + "; Linux 6.8+ needed)", e);
      }
    }
    if (volatileUpper && m.options().length() + VOLATILE.length() <= MAX_MOUNT_DATA) {
      try {
        Mounts.mount("overlay", m.target(), "overlay", m.options() + VOLATILE);
        return m.target();
      } catch (IOException e) {
        volatileUpper = false;
        LOG.info("overlayfs refused the volatile option ({}); mounting without it from now on",
            e.getMessage());
      }
    }
    Mounts.mount("overlay", m.target(), "overlay", m.options());
    return m.target();
  }

  /** Unmounts the container's rootfs; the directories go with the container directory. */
  public void unmount(Path containerDir) throws IOException {
    Mounts.unmountDetached(containerDir.resolve("rootfs"));
  }

  private static String options(List<Path> lowersTopFirst, Path upper, Path work) {
    return "lowerdir=" + lowersTopFirst.stream().map(Path::toString)
        .collect(Collectors.joining(":")) + ",upperdir=" + upper + ",workdir=" + work;
  }

  /** overlayfs splits its options at ',' and lower directories at ':'. */
  private static void checkOptionSafe(Path p) throws IOException {
    String s = p.toString();
    if (s.contains(",") || s.contains(":") || s.contains("\\")) {
      throw new IOException("overlay paths cannot contain ',', ':' or '\\': " + s);
    }
  }
}
