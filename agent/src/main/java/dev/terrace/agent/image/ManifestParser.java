package dev.terrace.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses manifests and indexes. The media type comes from the document itself when it has one,
 * else from the response's {@code Content-Type}, since schema-2 documents carry it but OCI ones
 * may not.
 */
public final class ManifestParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestParser() {}

  /** Either an {@link ImageIndex} or an {@link ImageManifest}. */
  public static Object parse(byte[] bytes, String contentType) throws ManifestException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ManifestException("manifest is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ManifestException("manifest is not a JSON object");
    }
    int schema = root.path("schemaVersion").asInt(-1);
    if (schema != 2) {
      throw new ManifestException("unsupported manifest schemaVersion " + schema
          + " (Docker schema 1 images are not supported; schema 2 and OCI are)");
    }
    String mediaType = root.path("mediaType").asText(null);
    if (mediaType == null) {
      mediaType = contentType == null ? null : contentType.split(";")[0].strip();
    }
    if (mediaType == null || mediaType.isEmpty() || mediaType.equals("application/json")) {
      // An OCI document without mediaType: its shape tells which one it is.
      mediaType = root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }
    if (MediaTypes.isIndex(mediaType)) {
      return new ImageIndex(mediaType, descriptors(root.get("manifests"), "index entry"));
    }
    if (MediaTypes.isManifest(mediaType)) {
      Descriptor config = Descriptor.from(root.get("config"), "manifest config");
      List<Descriptor> layers = descriptors(root.get("layers"), "layer");
      for (Descriptor layer : layers) {
        if (!MediaTypes.isLayer(layer.mediaType())) {
          throw new ManifestException("unsupported layer media type " + layer.mediaType()
              + " for " + layer.digest());
        }
      }
      return new ImageManifest(mediaType, config, layers);
    }
    throw new ManifestException("unsupported manifest media type " + mediaType);
  }

  private static List<Descriptor> descriptors(JsonNode array, String what)
      throws ManifestException {
    if (array == null || !array.isArray()) {
      throw new ManifestException("manifest has no " + what + " list");
    }
    List<Descriptor> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      out.add(Descriptor.from(array.get(i), what + " " + i));
    }
    return out;
  }
}
