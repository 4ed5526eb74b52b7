package dev.terrace.agent.image;

import dev.terrace.agent.content.ContentStore;
import dev.terrace.agent.content.Digest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls an image into the {@link ContentStore}: resolves the reference to a manifest (through an
 * index, picking the platform), then fetches the config and the layers, the layers in parallel on
 * a pool shared by all pulls so that the agent as a whole never downloads more than
 * {@link RegistrySettings#parallelDownloads()} layers at once. Blobs already in the store are not
 * fetched again; two pulls that need the same blob at once share one download.
 */
public final class ImagePuller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImagePuller.class);
  /** An index may point at another index; more nesting than this is not a real image. */
  private static final int MAX_INDEX_DEPTH = 3;

  private final RegistryClient client;
  private final ContentStore store;
  private final Platform platform;
  private final ExecutorService downloads;

  public ImagePuller(RegistryClient client, ContentStore store, Platform platform) {
    this.client = client;
    this.store = store;
    this.platform = platform;
    AtomicInteger n = new AtomicInteger();
    this.downloads = Executors.newFixedThreadPool(client.settings().parallelDownloads(), r -> {
      Thread t = new Thread(r, "image-download-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public RegistryClient client() {
    return client;
  }

  /** Pulls {@code ref}; blocks until every blob is in the store. */
  public PulledImage pull(ImageReference ref) throws IOException {
    return pull(ref, new PullProgress(ref.toString()), PullObserver.NONE);
  }

  /** As {@link #pull(ImageReference)}, counting layer bytes into {@code progress}. */
  public PulledImage pull(ImageReference ref, PullProgress progress, PullObserver observer)
      throws IOException {
    ImageReference current = ref;
    ImageManifest manifest = null;
    Digest manifestDigest = null;
    byte[] manifestBytes = null;
    for (int depth = 0; manifest == null; depth++) {
      if (depth > MAX_INDEX_DEPTH) {
        throw new ManifestException("image " + ref + ": image indexes nested too deeply");
      }
      ImageReference at = current;
      RegistryClient.ManifestResponse response = retry("manifest of " + at,
          () -> client.manifest(at));
      Object parsed = ManifestParser.parse(response.bytes(), response.contentType());
      if (parsed instanceof ImageIndex index) {
        Descriptor picked = index.select(platform);
        LOG.debug("Image {}: picked {} for {}", ref, picked.digest(), platform);
        current = current.withDigest(picked.digest());
      } else {
        manifest = (ImageManifest) parsed;
        manifestDigest = response.digest();
        manifestBytes = response.bytes();
      }
    }
    ImageReference repo = current;
    Descriptor configDescriptor = manifest.config();
    byte[] configBytes = Files.readAllBytes(fetch(repo, configDescriptor));
    ImageConfig config = ImageConfig.parse(configBytes);
    if (config.diffIds().size() != manifest.layers().size()) {
      throw new ManifestException("image " + ref + ": the config lists "
          + config.diffIds().size() + " layers but the manifest has "
          + manifest.layers().size());
    }
    for (Descriptor layer : manifest.layers()) {
      progress.expect(layer.digest(), layer.size(), store.contains(layer.digest()));
    }
    List<Future<?>> pending = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      pending.add(downloads.submit(() -> retry("blob " + layer.digest() + " of " + repo,
          () -> store.fetch(layer.digest(), layer.size(), () -> progress.counting(
              client.blob(repo, layer.digest()), layer.digest(), observer)))));
    }
    awaitAll(ref, pending);
    // Last, once everything it names is here: a stored manifest is what lets a later launch use
    // the cached image without asking the registry (the record checks every blob it lists).
    store.put(manifestDigest, manifestBytes);
    return new PulledImage(ref, manifestDigest, config, manifest.layers(),
        configDescriptor.digest());
  }

  private java.nio.file.Path fetch(ImageReference repo, Descriptor d) throws IOException {
    return retry("blob " + d.digest() + " of " + repo,
        () -> store.fetch(d.digest(), d.size(), () -> client.blob(repo, d.digest())));
  }

  private <T> T retry(String what, Retry.Call<T> call) throws IOException {
    RegistrySettings s = client.settings();
    return Retry.call(what, s.attempts(), s.initialBackoff(), call);
  }

  /** Waits for every download; the first failure fails the pull once all have stopped. */
  private static void awaitAll(ImageReference ref, List<Future<?>> pending) throws IOException {
    IOException first = null;
    for (Future<?> f : pending) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause() instanceof IOException io ? io
              : new IOException("pulling " + ref + ": " + e.getCause(), e.getCause());
          pending.forEach(p -> p.cancel(true));
        }
      } catch (java.util.concurrent.CancellationException e) {
        // cancelled after an earlier failure
      } catch (InterruptedException e) {
        pending.forEach(p -> p.cancel(true));
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted pulling " + ref);
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() {
    downloads.shutdownNow();
  }
}
