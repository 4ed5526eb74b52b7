package dev.terrace.agent.containerizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Creates the spec's mount points in a container's root filesystem ahead of the runtime. In a
 * user namespace the runtime cannot: the rootfs's directories belong to the host's root, which is
 * no one inside. The agent, as the host's root, makes them (in the overlay's upper layer).
 */
final class MountPoints {
  private MountPoints() {}

  static void create(ObjectNode spec, Path rootfs) throws IOException {
    for (JsonNode m : spec.path("mounts")) {
      String destination = m.path("destination").asText();
      String source = m.path("source").asText();
      if ("bind".equals(m.path("type").asText()) && !Files.isDirectory(Path.of(source))) {
        continue; // a file: its mount point must be a file, which the image or host provides
      }
      createBelow(rootfs, destination);
    }
  }

  /**
   * Creates {@code destination} under {@code rootfs} one component at a time, never through a
   * symlink: an image's {@code /mnt -> /} must not make the agent create directories on the host.
   * A component that is a symlink or a file is left to the runtime.
   */
  private static void createBelow(Path rootfs, String destination) throws IOException {
    Path p = rootfs;
    for (Path name : Path.of("/").relativize(Path.of(destination))) {
      p = p.resolve(name.toString());
      if (Files.isSymbolicLink(p)
          || (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
        return;
      }
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectory(p);
      }
    }
  }
}
