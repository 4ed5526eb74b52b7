package dev.terrace.agent.image;

import java.util.List;
import java.util.stream.Collectors;

/** An image index (OCI) or manifest list (Docker): one manifest per platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) {
  public ImageIndex {
    manifests = List.copyOf(manifests);
  }

  /**
   * The manifest for {@code wanted}: os and architecture must match; a variant, when the wanted
   * platform names one, must match too, and otherwise an entry without a variant is preferred.
   * Entries without a platform (attestations, for instance) are never picked.
   */
  public Descriptor select(Platform wanted) throws ManifestException {
    Descriptor best = null;
    for (Descriptor d : manifests) {
      Platform p = d.platform();
      if (p == null || !p.os().equals(wanted.os())
          || !p.architecture().equals(wanted.architecture())) {
        continue;
      }
      if (!wanted.variant().isEmpty()) {
        if (p.variant().equals(wanted.variant())) {
          return d;
        }
        continue;
      }
      if (best == null || (!best.platform().variant().isEmpty() && p.variant().isEmpty())) {
        best = d;
      }
    }
    if (best == null) {
      throw new ManifestException("no manifest for platform " + wanted + " in the image index"
          + " (it has: " + manifests.stream()
              .map(d -> d.platform() == null ? "unknown" : d.platform().toString())
              .collect(Collectors.joining(", ")) + ")");
    }
    return best;
  }
}
