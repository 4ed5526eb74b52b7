package dev.terrace.agent.snapshot;

import dev.terrace.agent.content.Digest;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Short names for the layer store's directories, so that more layers fit in one overlay mount:
 * mount(2) takes at most a page of options, and a layer's path in the store
 * ({@code <root>/sha256/<64 hex>}) is 60 characters longer than a link {@code <root>/l/<12 hex>}
 * to it, as Docker's overlay2 driver keeps in its {@code l/} directory. With the store under
 * {@code /var/lib/terrace}, about 40 layers fit with full paths and about 90 with links. A link is
 * made once and never changes: its name and its (relative) target both come from the layer's
 * digest, so a link left after its layer was collected points right again once the layer is
 * unpacked again.
 */
final class ShortLayerLinks {
  static final String DIR = "l";
  static final int NAME_LENGTH = 12;

  private ShortLayerLinks() {}

  /**
   * The short path of {@code layer}, made if missing; {@code layer} itself when it is not a
   * store directory, or in the (2^-48) case that another layer's digest starts the same.
   */
  static Path of(Path layer) throws IOException {
    Path parent = layer.getParent();
    String name = layer.getFileName().toString();
    if (parent == null || parent.getParent() == null || name.length() <= NAME_LENGTH
        || !parent.getFileName().toString().equals(Digest.ALGORITHM)) {
      return layer;
    }
    Path link = Files.createDirectories(parent.getParent().resolve(DIR))
        .resolve(name.substring(0, NAME_LENGTH));
    Path target = Path.of("..", Digest.ALGORITHM, name);
    try {
      Files.createSymbolicLink(link, target);
    } catch (FileAlreadyExistsException e) {
      if (!Files.readSymbolicLink(link).equals(target)) {
        return layer;
      }
    }
    return link;
  }
}
