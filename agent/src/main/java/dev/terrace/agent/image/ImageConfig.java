package dev.terrace.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.terrace.agent.content.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the image config says about the process and the layers.
 *
 * @param entrypoint empty when unset
 * @param cmd empty when unset
 * @param env {@code NAME=value} entries in order
 * @param workingDir null when unset
 * @param user null when unset ({@code uid}, {@code uid:gid}, {@code name} or {@code name:group})
 * @param diffIds digests of the uncompressed layers, bottom first
 */
public record ImageConfig(
    List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user,
    List<Digest> diffIds) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public ImageConfig {
    entrypoint = List.copyOf(entrypoint);
    cmd = List.copyOf(cmd);
    env = List.copyOf(env);
    diffIds = List.copyOf(diffIds);
  }

  public static ImageConfig parse(byte[] bytes) throws ManifestException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new ManifestException("image config is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new ManifestException("image config is not a JSON object");
    }
    JsonNode config = root.path("config");
    List<Digest> diffIds = new ArrayList<>();
    for (JsonNode id : root.path("rootfs").path("diff_ids")) {
      try {
        diffIds.add(Digest.parse(id.asText()));
      } catch (IllegalArgumentException e) {
        throw new ManifestException("image config diff_id: " + e.getMessage());
      }
    }
    return new ImageConfig(strings(config.get("Entrypoint")), strings(config.get("Cmd")),
        strings(config.get("Env")), text(config.get("WorkingDir")), text(config.get("User")),
        diffIds);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
  }
}
