package dev.terrace.agent.image;

import dev.terrace.agent.content.ContentStore;
import dev.terrace.agent.content.Digest;
import dev.terrace.agent.snapshot.LayerStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images for containers: pulls a reference into the content store, then unpacks its layers into
 * the layer store, both shared by all tasks. Blocking; runs on the containerizer's worker pool.
 *
 * <p>Layout under its root: {@code blobs/sha256/<hex>} (content store) and
 * {@code layers/sha256/<diff_id hex>} (unpacked layers).
 */
public final class ImageService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageService.class);

  private final ContentStore content;
  private final LayerStore layers;
  private final ImagePuller puller;

  public ImageService(Path root, RegistrySettings settings) throws IOException {
    this.content = new ContentStore(root.resolve("blobs"));
    this.layers = new LayerStore(root.resolve("layers"));
    this.puller = new ImagePuller(new RegistryClient(settings), content, Platform.host());
  }

  public ContentStore content() {
    return content;
  }

  public ImagePuller puller() {
    return puller;
  }

  /**
   * Pulls (or finds) {@code reference} and unpacks its layers.
   *
   * @throws IllegalArgumentException for an invalid reference
   * @throws IOException with a message fit for the task's status when the pull or unpack fails
   */
  public PreparedImage prepare(String reference) throws IOException {
    ImageReference ref = ImageReference.parse(reference);
    long start = System.nanoTime();
    PulledImage image = puller.pull(ref);
    long pulled = System.nanoTime();
    PreparedImage prepared = unpack(image);
    LOG.info("Image {} ({}) ready: pull {} ms, unpack {} ms", ref, image.manifestDigest(),
        (pulled - start) / 1_000_000, (System.nanoTime() - pulled) / 1_000_000);
    return prepared;
  }

  /** Unpacks every layer of an already pulled image, bottom first. */
  public PreparedImage unpack(PulledImage image) throws IOException {
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < image.layers().size(); i++) {
      Digest blob = image.layers().get(i).digest();
      Digest diffId = image.config().diffIds().get(i);
      Path blobPath = content.path(blob);
      dirs.add(layers.unpack(diffId, () -> Files.newInputStream(blobPath)));
    }
    return new PreparedImage(image, dirs);
  }

  @Override
  public void close() {
    puller.close();
  }
}
