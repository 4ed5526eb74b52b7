package dev.terrace.agent.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An image ready to become a root filesystem.
 *
 * @param layers the unpacked layer directories, bottom first
 */
public record PreparedImage(PulledImage image, List<Path> layers) {
  public PreparedImage {
    layers = List.copyOf(layers);
  }

  public ImageConfig config() {
    return image.config();
  }
}
