package dev.terrace.agent.image;

import java.util.List;

/** An image manifest (OCI or Docker schema 2): one config blob and the layers, bottom first. */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) {
  public ImageManifest {
    layers = List.copyOf(layers);
  }
}
