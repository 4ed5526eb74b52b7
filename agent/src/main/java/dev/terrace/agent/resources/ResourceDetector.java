package dev.terrace.agent.resources;

import dev.terrace.common.model.Resource;
import dev.terrace.common.model.Value;
import dev.terrace.common.resources.ResourceParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an agent offers: detected cpus, memory, disk and a port range, each replaced by a value of
 * the same name given in the {@code --resources} text (which may also add resources, such as
 * statically reserved ones). Like Mesos, memory and disk keep a share back for the host itself.
 */
public final class ResourceDetector {
  private static final long MB = 1024 * 1024;
  /** Kept back for the OS and the agent: 1 GiB, or half of a small machine. */
  private static final long HOST_RESERVE_BYTES = 1024 * MB;

  private ResourceDetector() {}

  public static List<Resource> detect(Path workDir, String overrides) throws IOException {
    Map<String, Resource> byName = new LinkedHashMap<>();
    byName.put("cpus", Resource.scalar("cpus", Runtime.getRuntime().availableProcessors()));
    byName.put("mem", Resource.scalar("mem", memoryMb()));
    byName.put("disk", Resource.scalar("disk", diskMb(workDir)));
    byName.put("ports", Resource.ranges("ports", List.of(new Value.Range(31000, 32000))));
    List<Resource> extra = new ArrayList<>();
    for (Resource r : ResourceParser.parseResources(overrides)) {
      if (r.reservations().isEmpty() && byName.containsKey(r.name())) {
        byName.put(r.name(), r);
      } else {
        extra.add(r);
      }
    }
    List<Resource> out = new ArrayList<>(byName.values());
    out.addAll(extra);
    return out;
  }

  static long memoryMb() throws IOException {
    long total = 0;
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        total = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    long reserve = Math.min(HOST_RESERVE_BYTES, total / 2);
    return Math.max(0, (total - reserve) / MB);
  }

  static long diskMb(Path workDir) throws IOException {
    Files.createDirectories(workDir);
    long usable = Files.getFileStore(workDir).getUsableSpace();
    long reserve = Math.min(5L * 1024 * MB, usable / 2);
    return Math.max(0, (usable - reserve) / MB);
  }
}
