package dev.terrace.agent.snapshot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one rule for names that come from an archive (a layer tar, a {@code docker save} archive,
 * an OCI layout): a name is a path relative to the archive's root; a leading {@code /} or
 * {@code ./} is dropped; any {@code ..} component or NUL byte is refused, so that no name can ever
 * designate a place outside the directory the archive belongs to.
 */
public final class EntryPaths {
  private EntryPaths() {}

  /**
   * The name as a relative path, or null for the archive root itself.
   *
   * @param name the name to check (an entry's name, or a link target)
   * @param entryName the entry it comes from, for the message
   * @param archive how messages name the archive
   * @throws LayerEscapeException when the name would escape
   */
  public static Path relative(String name, String entryName, String archive)
      throws LayerEscapeException {
    if (name.indexOf('\0') >= 0) {
      throw new LayerEscapeException(archive + ": entry '" + entryName + "' has a NUL byte");
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new LayerEscapeException(archive + ": refused entry '" + entryName + "'"
            + (name.equals(entryName) ? "" : " (link target '" + name + "')")
            + ": a '..' path would escape the " + (archive.startsWith("layer") ? "layer" : "archive")
            + " directory");
      }
      parts.add(part);
    }
    if (parts.isEmpty()) {
      return null;
    }
    return Path.of(parts.get(0), parts.subList(1, parts.size()).toArray(String[]::new));
  }
}
