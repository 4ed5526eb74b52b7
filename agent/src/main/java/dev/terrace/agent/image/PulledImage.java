package dev.terrace.agent.image;

import dev.terrace.agent.content.Digest;
import java.util.List;

/**
 * An image whose manifest, config and layer blobs are all in the content store.
 *
 * @param reference what was asked for
 * @param manifestDigest the digest of the platform manifest that was picked
 * @param layers the layer descriptors, bottom first; {@code config.diffIds()} matches them 1:1
 * @param configDigest the digest of the config blob
 */
public record PulledImage(
    ImageReference reference, Digest manifestDigest, ImageConfig config, List<Descriptor> layers,
    Digest configDigest) {
  public PulledImage {
    layers = List.copyOf(layers);
  }
}
