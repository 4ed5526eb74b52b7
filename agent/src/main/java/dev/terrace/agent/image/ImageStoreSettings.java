package dev.terrace.agent.image;

import java.nio.file.Path;

/**
 * How the agent keeps images.
 *
 * @param containersDir where container directories live (their {@code snapshot/lowers} tell which
 *     layers are in use), or null when no container uses this store
 * @param imageDir a directory of {@code docker save} archives and OCI layouts imported at start
 *     and whenever a launch names an image the agent does not have; null for none
 * @param gcThresholdBytes above this many bytes of blobs and layers, images no container uses are
 *     removed, least recently used first; 0 turns automatic collection off
 */
public record ImageStoreSettings(Path containersDir, Path imageDir, long gcThresholdBytes) {
  public ImageStoreSettings {
    if (gcThresholdBytes < 0) {
      throw new IllegalArgumentException("image GC threshold cannot be negative");
    }
  }

  public static ImageStoreSettings none() {
    return new ImageStoreSettings(null, null, 0);
  }
}
