package dev.terrace.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.agent.content.Digest;
import java.util.Objects;

/**
 * An OCI content descriptor: what a manifest or index says about one blob.
 *
 * @param platform only set for the entries of an index
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform) {
  public Descriptor {
    Objects.requireNonNull(digest, "digest");
  }

  /** Reads a descriptor object; the caller names {@code where} for error messages. */
  static Descriptor from(JsonNode node, String where) throws ManifestException {
    if (node == null || !node.isObject()) {
      throw new ManifestException(where + " is not a descriptor object");
    }
    Digest digest;
    try {
      digest = Digest.parse(node.path("digest").asText(null));
    } catch (IllegalArgumentException e) {
      throw new ManifestException(where + ": " + e.getMessage());
    }
    long size = node.path("size").asLong(-1);
    if (size < 0) {
      throw new ManifestException(where + " has no valid size");
    }
    JsonNode p = node.get("platform");
    Platform platform = p == null || !p.isObject() ? null
        : new Platform(p.path("os").asText(""), p.path("architecture").asText(""),
            p.path("variant").asText(""));
    return new Descriptor(node.path("mediaType").asText(null), digest, size, platform);
  }
}
