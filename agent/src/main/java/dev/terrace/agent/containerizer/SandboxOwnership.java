package dev.terrace.agent.containerizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Hands a sandbox (and what the fetcher put in it) to the user a task runs as. */
final class SandboxOwnership {
  private SandboxOwnership() {}

  /**
   * Changes the owner of {@code sandbox} and everything under it to {@code uid:gid}. Symlinks are
   * changed themselves and never followed (lchown): a fetched archive may hold a link to a host
   * file, which must not change hands.
   */
  static void give(Path sandbox, int uid, int gid) throws IOException {
    try (Stream<Path> files = Files.walk(sandbox)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
      }
    }
  }
}
