package dev.terrace.agent.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.terrace.agent.content.ContentStore;
import dev.terrace.agent.content.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the images of a {@code docker save} archive or an OCI image layout (a directory, or a tar
 * of one) into the content store, for hosts without a registry.
 *
 * <ul>
 *   <li>{@code docker save}: {@code manifest.json} lists each image's config, layers and
 *       {@code RepoTags}; the agent writes the Docker schema-2 manifest the archive lacks.
 *   <li>OCI layout: {@code index.json} names manifests (or indexes, from which the host's platform
 *       is picked) with {@code io.containerd.image.name} (a full reference) or
 *       {@code org.opencontainers.image.ref.name} (a full reference, or a bare tag, which is given
 *       the archive's file name as repository: {@code busybox.tar} with tag {@code 1.35} is
 *       {@code busybox:1.35}).
 * </ul>
 *
 * Every blob an image needs must be in the archive and match its digest; otherwise the archive is
 * refused with the reason.
 */
final class ArchiveImporter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

  /** An image found in an archive, with the type of the manifest it resolved to. */
  record Imported(PulledImage image, String manifestType) {}

  private final ContentStore store;
  private final Platform platform;

  ArchiveImporter(ContentStore store, Platform platform) {
    this.store = store;
    this.platform = platform;
  }

  List<Imported> read(Path file) throws IOException {
    ArchiveSource source = ArchiveSource.open(file, store);
    byte[] dockerManifest = source.metadata("manifest.json");
    List<Imported> images = dockerManifest != null ? dockerSave(file, source, dockerManifest)
        : ociLayout(file, source);
    if (images.isEmpty()) {
      throw new IOException(file.getFileName() + " holds no named image (no RepoTags, no"
          + " ref.name annotation)");
    }
    return images;
  }

  private List<Imported> dockerSave(Path file, ArchiveSource source, byte[] manifestJson)
      throws IOException {
    JsonNode entries = JSON.readTree(manifestJson);
    if (!entries.isArray()) {
      throw new IOException(file.getFileName() + ": manifest.json is not a list");
    }
    List<Imported> out = new ArrayList<>();
    for (JsonNode entry : entries) {
      String configName = entry.path("Config").asText("");
      Digest config = required(source, configName, file);
      ImageConfig parsed = ImageConfig.parse(Files.readAllBytes(store.path(config)));
      List<Descriptor> layers = new ArrayList<>();
      for (JsonNode l : entry.path("Layers")) {
        Digest d = required(source, l.asText(), file);
        layers.add(new Descriptor(DOCKER_LAYER_TAR, d, store.size(d), null));
      }
      if (layers.size() != parsed.diffIds().size()) {
        throw new ManifestException(file.getFileName() + ": image config lists "
            + parsed.diffIds().size() + " layers but manifest.json has " + layers.size());
      }
      Digest manifest = store.ingest(new ByteArrayInputStream(schema2(config, layers)));
      for (JsonNode tag : entry.path("RepoTags")) {
        ImageReference ref = parseName(tag.asText(), file);
        out.add(new Imported(new PulledImage(ref, manifest, parsed, layers, config),
            MediaTypes.DOCKER_MANIFEST));
      }
    }
    return out;
  }

  private byte[] schema2(Digest config, List<Descriptor> layers) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.DOCKER_MANIFEST);
    ObjectNode c = m.putObject("config");
    c.put("mediaType", MediaTypes.DOCKER_CONFIG);
    c.put("size", store.size(config));
    c.put("digest", config.toString());
    var arr = m.putArray("layers");
    for (Descriptor d : layers) {
      ObjectNode l = arr.addObject();
      l.put("mediaType", d.mediaType());
      l.put("size", d.size());
      l.put("digest", d.digest().toString());
    }
    return JSON.writeValueAsBytes(m);
  }

  private List<Imported> ociLayout(Path file, ArchiveSource source) throws IOException {
    byte[] indexJson = source.metadata("index.json");
    if (indexJson == null) {
      throw new IOException(file.getFileName() + " is neither a docker save archive (no"
          + " manifest.json) nor an OCI image layout (no index.json)");
    }
    JsonNode index = JSON.readTree(indexJson);
    List<Imported> out = new ArrayList<>();
    int i = 0;
    for (JsonNode m : index.path("manifests")) {
      Descriptor top = Descriptor.from(m, "index.json entry " + i++);
      JsonNode annotations = m.path("annotations");
      String name = annotations.path("io.containerd.image.name").asText(
          annotations.path("org.opencontainers.image.ref.name").asText(""));
      if (name.isEmpty()) {
        continue;
      }
      ImageReference ref = name.contains("/") || name.contains(":")
          ? parseName(name, file) : parseName(repositoryOf(file) + ":" + name, file);
      out.add(resolve(file, source, ref, top));
    }
    return out;
  }

  /** Follows indexes down to the host platform's manifest; every blob must be there. */
  private Imported resolve(Path file, ArchiveSource source, ImageReference ref, Descriptor top)
      throws IOException {
    Descriptor current = top;
    for (int depth = 0; depth < 4; depth++) {
      Digest d = blob(source, current.digest(), file);
      Object parsed = ManifestParser.parse(Files.readAllBytes(store.path(d)), current.mediaType());
      if (parsed instanceof ImageIndex idx) {
        current = idx.select(platform);
        continue;
      }
      ImageManifest manifest = (ImageManifest) parsed;
      Digest config = blob(source, manifest.config().digest(), file);
      ImageConfig parsedConfig = ImageConfig.parse(Files.readAllBytes(store.path(config)));
      for (Descriptor layer : manifest.layers()) {
        blob(source, layer.digest(), file);
      }
      if (parsedConfig.diffIds().size() != manifest.layers().size()) {
        throw new ManifestException(file.getFileName() + ": image " + ref + " config lists "
            + parsedConfig.diffIds().size() + " layers but its manifest has "
            + manifest.layers().size());
      }
      return new Imported(new PulledImage(ref, d, parsedConfig, manifest.layers(), config),
          manifest.mediaType());
    }
    throw new ManifestException(file.getFileName() + ": image indexes nested too deeply");
  }

  /** The blob {@code digest} of an OCI layout, checked against its name. */
  private Digest blob(ArchiveSource source, Digest digest, Path file) throws IOException {
    Digest stored = required(source, "blobs/sha256/" + digest.hex(), file);
    if (!stored.equals(digest)) {
      throw new IOException(file.getFileName() + ": blob " + digest + " hashes to " + stored);
    }
    return stored;
  }

  private static Digest required(ArchiveSource source, String name, Path file)
      throws IOException {
    Digest d = name.isEmpty() ? null : source.blob(name);
    if (d == null) {
      throw new IOException(file.getFileName() + ": '" + name + "' is missing from the archive");
    }
    return d;
  }

  private static ImageReference parseName(String name, Path file) throws IOException {
    try {
      return ImageReference.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IOException(file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /** {@code busybox.tar.gz} and {@code busybox/} name the repository {@code busybox}. */
  static String repositoryOf(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    for (String ext : List.of(".tar.gz", ".tgz", ".tar", ".oci")) {
      if (n.endsWith(ext)) {
        n = n.substring(0, n.length() - ext.length());
        break;
      }
    }
    return n.replaceAll("[^a-z0-9._/-]", "-");
  }
}
