package dev.terrace.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.content.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the agent knows about one cached image: the reference it was pulled or imported as, the
 * platform manifest it resolved to, and the blobs it needs. Records are what keeps blobs and
 * layers from garbage collection.
 *
 * @param reference the canonical reference ({@link ImageReference#toString()})
 * @param source {@link #REGISTRY} or {@link #ARCHIVE}: an archive's tag resolves without a
 *     registry; a registry's tag is asked again only for a launch that forces a pull
 * @param lastUsed epoch millis of the last pull, import or launch
 */
public record ImageRecord(
    String reference, Digest manifest, String manifestType, Digest config, List<Descriptor> layers,
    String source, long lastUsed) {
  public static final String REGISTRY = "registry";
  public static final String ARCHIVE = "archive";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ImageRecord {
    layers = List.copyOf(layers);
  }

  public static ImageRecord of(PulledImage image, String manifestType, String source, long now) {
    return new ImageRecord(image.reference().toString(), image.manifestDigest(), manifestType,
        image.configDigest(), image.layers(), source, now);
  }

  public ImageRecord usedAt(long now) {
    return new ImageRecord(reference, manifest, manifestType, config, layers, source, now);
  }

  public boolean fromArchive() {
    return ARCHIVE.equals(source);
  }

  /** Every blob the image needs: manifest, config and layers. */
  public List<Digest> blobs() {
    List<Digest> all = new ArrayList<>();
    all.add(manifest);
    all.add(config);
    layers.forEach(l -> all.add(l.digest()));
    return all;
  }

  byte[] toJson() throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("reference", reference);
    n.put("manifest", manifest.toString());
    n.put("manifest_type", manifestType);
    n.put("config", config.toString());
    var arr = n.putArray("layers");
    for (Descriptor d : layers) {
      ObjectNode l = arr.addObject();
      l.put("mediaType", d.mediaType());
      l.put("digest", d.digest().toString());
      l.put("size", d.size());
    }
    n.put("source", source);
    n.put("last_used", lastUsed);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
  }

  static ImageRecord fromJson(byte[] bytes) throws IOException {
    JsonNode n = JSON.readTree(bytes);
    List<Descriptor> layers = new ArrayList<>();
    int i = 0;
    for (JsonNode l : n.path("layers")) {
      layers.add(Descriptor.from(l, "layer " + i++));
    }
    try {
      return new ImageRecord(n.path("reference").asText(), Digest.parse(n.path("manifest").asText()),
          n.path("manifest_type").asText(null), Digest.parse(n.path("config").asText()), layers,
          n.path("source").asText(REGISTRY), n.path("last_used").asLong());
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid image record: " + e.getMessage(), e);
    }
  }
}
