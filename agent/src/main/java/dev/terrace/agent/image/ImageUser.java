package dev.terrace.agent.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Resolves an image config's {@code User} ({@code uid}, {@code uid:gid}, {@code name},
 * {@code name:group}) to numeric ids, reading names from the image's own {@code /etc/passwd}
 * and {@code /etc/group}, as Docker does.
 */
public final class ImageUser {
  /**
   * A numeric user, its primary group and its supplementary groups (those of the image's
   * {@code /etc/group} that list the user by name), as {@code initgroups} would set them.
   */
  public record Ids(int uid, int gid, List<Integer> additionalGids) {
    public Ids {
      additionalGids = List.copyOf(additionalGids);
    }

    public boolean isRoot() {
      return uid == 0;
    }
  }

  /** Root, for a launch that names no user. */
  public static final Ids ROOT = new Ids(0, 0, List.of());

  private ImageUser() {}

  /**
   * @param rootfs the container's mounted root; its {@code /etc} files are read without following
   *     symlinks (one could point at the host's files)
   */
  public static Ids resolve(String user, Path rootfs) throws IOException {
    if (user == null || user.isEmpty()) {
      return ROOT;
    }
    int colon = user.indexOf(':');
    String u = colon < 0 ? user : user.substring(0, colon);
    String g = colon < 0 ? null : user.substring(colon + 1);
    int uid;
    Integer gid = null;
    String[] passwd = numeric(u) ? find(rootfs, "passwd", 2, u) : find(rootfs, "passwd", 0, u);
    if (numeric(u)) {
      uid = Integer.parseInt(u);
    } else if (passwd != null) {
      uid = Integer.parseInt(passwd[2]);
    } else {
      throw new ManifestException("image user '" + u + "' is not in the image's /etc/passwd");
    }
    if (passwd != null && passwd.length > 3 && numeric(passwd[3])) {
      gid = Integer.parseInt(passwd[3]);
    }
    if (g != null && !g.isEmpty()) {
      if (numeric(g)) {
        gid = Integer.parseInt(g);
      } else {
        String[] group = find(rootfs, "group", 0, g);
        if (group == null) {
          throw new ManifestException("image group '" + g + "' is not in the image's /etc/group");
        }
        gid = Integer.parseInt(group[2]);
      }
    }
    int primary = gid == null ? 0 : gid;
    String name = passwd != null ? passwd[0] : null;
    return new Ids(uid, primary, name == null ? List.of() : memberOf(rootfs, name, primary));
  }

  /** The gids of the groups listing {@code name} as a member, other than {@code primary}. */
  private static List<Integer> memberOf(Path rootfs, String name, int primary) throws IOException {
    Path group = rootfs.resolve("etc").resolve("group");
    if (!isReal(rootfs.resolve("etc"), true) || !isReal(group, false)) {
      return List.of();
    }
    TreeSet<Integer> gids = new TreeSet<>();
    for (String line : Files.readAllLines(group)) {
      String[] f = line.split(":", -1);
      if (f.length > 3 && numeric(f[2]) && Arrays.asList(f[3].split(",")).contains(name)) {
        gids.add(Integer.parseInt(f[2]));
      }
    }
    gids.remove(primary);
    return List.copyOf(gids);
  }

  private static boolean numeric(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 10;
  }

  /** The colon-separated line of {@code /etc/<file>} whose field {@code field} is {@code key}. */
  private static String[] find(Path rootfs, String file, int field, String key)
      throws IOException {
    Path etc = rootfs.resolve("etc");
    Path path = etc.resolve(file);
    if (!isReal(etc, true) || !isReal(path, false)) {
      return null;
    }
    List<String> lines = Files.readAllLines(path);
    for (String line : lines) {
      String[] f = line.split(":", -1);
      if (f.length > 2 && f[field].equals(key) && numeric(f[2])) {
        return f;
      }
    }
    return null;
  }

  private static boolean isReal(Path p, boolean directory) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    BasicFileAttributes a =
        Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return directory ? a.isDirectory() : a.isRegularFile();
  }
}
