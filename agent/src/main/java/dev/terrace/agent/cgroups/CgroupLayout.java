package dev.terrace.agent.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which cgroup versions the host mounts and where, read once from /proc/self/mountinfo.
 *
 * @param mode pure v1, hybrid (v1 hierarchies plus a cgroup2 mount, usually at
 *     /sys/fs/cgroup/unified) or pure v2
 * @param v1Hierarchies every v1 controller (and named hierarchy such as {@code name=systemd}) to
 *     its mount point; several controllers may share one mount (e.g. {@code cpu,cpuacct})
 * @param unified the cgroup2 mount point, or null
 */
public record CgroupLayout(Mode mode, Map<String, Path> v1Hierarchies, Path unified) {

  public enum Mode {
    V1,
    HYBRID,
    V2
  }

  public CgroupLayout {
    v1Hierarchies = Collections.unmodifiableMap(new LinkedHashMap<>(v1Hierarchies));
  }

  /** Detects the layout of the running host. */
  public static CgroupLayout detect() throws IOException {
    return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")));
  }

  /** Parses mountinfo lines (see proc(5)); the optional fields end at a lone "-". */
  public static CgroupLayout parse(List<String> mountinfo) {
    Map<String, Path> v1 = new LinkedHashMap<>();
    Path unified = null;
    for (String line : mountinfo) {
      String[] f = line.split(" ");
      int sep = List.of(f).indexOf("-");
      if (sep < 0 || f.length < sep + 4 || f.length < 5) {
        continue;
      }
      String fstype = f[sep + 1];
      Path mountPoint = Path.of(f[4]);
      if (fstype.equals("cgroup2")) {
        unified = mountPoint;
      } else if (fstype.equals("cgroup")) {
        for (String opt : f[sep + 3].split(",")) {
          if (isController(opt)) {
            v1.putIfAbsent(opt, mountPoint);
          }
        }
      }
    }
    Mode mode = v1.isEmpty() ? Mode.V2 : unified == null ? Mode.V1 : Mode.HYBRID;
    if (mode == Mode.V2 && unified == null) {
      throw new IllegalStateException("no cgroup file system is mounted");
    }
    return new CgroupLayout(mode, v1, unified);
  }

  /** Super-block options of a v1 mount mix controllers with generic flags such as rw. */
  private static boolean isController(String opt) {
    return !(opt.equals("rw") || opt.equals("ro") || opt.startsWith("release_agent=")
        || opt.equals("noprefix") || opt.equals("clone_children") || opt.equals("xattr")
        || opt.equals("cpuset_v2_mode") || opt.equals("favordynmods") || opt.equals("nsdelegate")
        || opt.equals("memory_recursiveprot") || opt.equals("memory_localevents"));
  }

  /** Distinct directories under which a container's cgroup can exist, v1 first. */
  public List<Path> hierarchyRoots() {
    Set<Path> roots = new LinkedHashSet<>(v1Hierarchies.values());
    if (unified != null) {
      roots.add(unified);
    }
    return new ArrayList<>(roots);
  }

  /**
   * Controllers that a hybrid host binds to its cgroup2 mount; crun refuses hybrid hosts where
   * any controller lives in v2 ("cgroups in hybrid mode not supported"), and mounting them as v1
   * hierarchies lifts that.
   */
  public List<String> controllersOnUnified() throws IOException {
    if (mode != Mode.HYBRID) {
      return List.of();
    }
    Path file = unified.resolve("cgroup.controllers");
    if (!Files.exists(file)) {
      return List.of();
    }
    String content = Files.readString(file).trim();
    return content.isEmpty() ? List.of() : List.of(content.split("\\s+"));
  }
}
