package dev.terrace.agent.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The agent's view of container cgroups, for the cgroup version the host runs. */
public interface CgroupManager {

  /** Reads the memory cgroup's OOM evidence for {@code cgroupPath} (e.g. /terrace/ID). */
  MemoryEvidence memoryEvidence(String cgroupPath) throws IOException;

  /**
   * Reads the usage counters of {@code cgroupPath}: cpu time and throttling, memory and
   * processes. Blocks on cgroup file reads; call it on a worker pool.
   *
   * @throws IOException when the cgroup is gone (the container exited meanwhile) or unreadable
   */
  ResourceStatistics statistics(String cgroupPath) throws IOException;

  /** Directories of {@code cgroupPath} that exist now, in every hierarchy. */
  List<Path> existing(String cgroupPath);

  /**
   * Reclaims the memory still charged to {@code cgroupPath} once its processes are gone, before
   * the cgroup is removed. Page cache and kernel objects (dentries, inodes) the container touched
   * outlive it and keep a removed memory cgroup alive as a "dying" one; on a busy agent they pile
   * up by the thousand and slow down every later cgroup and memory operation (launches got ~2x
   * slower after a few hundred). Best effort: false when nothing could be asked of the kernel.
   */
  boolean reclaimMemory(String cgroupPath);

  /**
   * Removes {@code cgroupPath} from every hierarchy where it exists. OCI runtimes remove only
   * the leaf they created in the hierarchies they know; this sweeps whatever is left.
   */
  default void remove(String cgroupPath) throws IOException {
    for (Path dir : existing(cgroupPath)) {
      CgroupFiles.removeTree(dir);
    }
  }

  /** The manager for {@code layout}: v1 code for v1 and hybrid hosts, v2 code for v2 hosts. */
  static CgroupManager forLayout(CgroupLayout layout) {
    return layout.mode() == CgroupLayout.Mode.V2
        ? new V2CgroupManager(layout.unified())
        : new V1CgroupManager(layout);
  }
}
