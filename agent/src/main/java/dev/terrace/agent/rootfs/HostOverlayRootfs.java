package dev.terrace.agent.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root filesystem of a task without an image: a copy-on-write overlay whose lower layer is the
 * host's root, so the task finds the host's binaries and libraries but its writes never reach the
 * host. Layout under the container directory:
 *
 * <pre>
 *   scratch/        a small tmpfs of its own
 *     upper/        overlay upperdir (the task's writes)
 *     work/         overlay workdir
 *   rootfs/         the overlay, root.path of the bundle
 * </pre>
 *
 * <p>Why a tmpfs for upper and work: with {@code lowerdir=/}, every directory of the root file
 * system lies inside the lower layer. This host's kernel (6.18, ext4 root) happens to accept an
 * upperdir there (checked by hand), but overlayfs' overlapping-layer checks (ELOOP "overlapping
 * ... path", stricter with index=on or in other kernel versions) may refuse it, the upper
 * directory would be visible to the task through the lower layer (and so would every other
 * container's), and the overlayfs documentation leaves changes to a lower layer under a live mount
 * undefined, which is exactly what writing into an upper inside the lower does. A tmpfs is a
 * separate superblock: the lower layer never crosses mounts, so the task sees only an empty
 * directory there, the layers cannot overlap, the pages are charged to the writing task's memory
 * cgroup, and the whole scratch space goes away with one unmount. Verified here with runc and
 * crun.
 */
public final class HostOverlayRootfs {
  private static final Logger LOG = LoggerFactory.getLogger(HostOverlayRootfs.class);

  private final long scratchBytes;

  /** @param scratchBytes size limit of each container's tmpfs for copy-on-write writes */
  public HostOverlayRootfs(long scratchBytes) {
    this.scratchBytes = scratchBytes;
  }

  /** Mounts the overlay and returns the path to use as the bundle's root. */
  public Path mount(Path containerDir) throws IOException {
    Path scratch = containerDir.resolve("scratch");
    Path rootfs = containerDir.resolve("rootfs");
    Files.createDirectories(scratch);
    Files.createDirectories(rootfs);
    Mounts.mount("tmpfs", scratch, "tmpfs", "mode=0700,size=" + scratchBytes);
    try {
      Path upper = Files.createDirectories(scratch.resolve("upper"));
      Path work = Files.createDirectories(scratch.resolve("work"));
      Mounts.mount("overlay", rootfs, "overlay",
          "lowerdir=/,upperdir=" + upper + ",workdir=" + work);
    } catch (IOException | RuntimeException e) {
      Mounts.unmountDetached(scratch);
      throw e;
    }
    LOG.debug("Mounted host overlay at {}", rootfs);
    return rootfs;
  }

  /** Unmounts the overlay and its scratch tmpfs; safe to call when either is not mounted. */
  public void unmount(Path containerDir) throws IOException {
    // Detached: a process that still holds a file open there must not make destroy fail; the
    // kernel finishes the unmount when the last reference goes.
    Mounts.unmountDetached(containerDir.resolve("rootfs"));
    Mounts.unmountDetached(containerDir.resolve("scratch"));
  }
}
