package dev.terrace.agent.image;

import dev.terrace.agent.content.ContentStore;
import dev.terrace.agent.content.Digest;
import dev.terrace.agent.snapshot.LayerStore;
import dev.terrace.agent.snapshot.LayerUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images for containers: pulls a reference (or finds it among imported archives) into the content
 * store, then unpacks its layers into the layer store, both shared by all tasks; keeps a record
 * per image for listing and garbage collection. Blocking; runs on the containerizer's worker pool.
 *
 * <p>Layout under its root: {@code blobs/sha256/<hex>} (content store),
 * {@code layers/sha256/<diff_id hex>} (unpacked layers), {@code records/} (one per reference).
 *
 * <p>A launch holds a lease on its layers from {@link #prepare} until {@link #release}, by which
 * time its container directory names them ({@link LayerUsage}); garbage collection keeps both.
 */
public final class ImageService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ImageService.class);

  private final ContentStore content;
  private final LayerStore layers;
  private final ImagePuller puller;
  private final ImageRecords records;
  private final ArchiveImporter importer;
  private final ImageStoreSettings settings;
  private final ImageDirectory imageDir;
  private final ImageCollector collector;
  private final Path uploads;
  /** Pulls and imports read; sweeps write (see {@link ImageCollector}). */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Path, Integer> leases = new ConcurrentHashMap<>();
  private final Map<String, PullProgress> pulls = new ConcurrentHashMap<>();
  private volatile PullObserver observer = PullObserver.NONE;
  private final ExecutorService gc = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "image-gc");
    t.setDaemon(true);
    return t;
  });

  public ImageService(Path root, RegistrySettings settings) throws IOException {
    this(root, settings, ImageStoreSettings.none());
  }

  public ImageService(Path root, RegistrySettings registry, ImageStoreSettings settings)
      throws IOException {
    this.settings = settings;
    this.content = new ContentStore(root.resolve("blobs"));
    this.layers = new LayerStore(root.resolve("layers"));
    this.records = new ImageRecords(root.resolve("records"));
    this.puller = new ImagePuller(new RegistryClient(registry), content, Platform.host());
    this.importer = new ArchiveImporter(content, Platform.host());
    this.imageDir = settings.imageDir() == null ? null : new ImageDirectory(settings.imageDir());
    this.collector = new ImageCollector(records, content, layers, this::layersInUse,
        lock.writeLock(), settings.gcThresholdBytes());
    this.uploads = Files.createDirectories(root.resolve("uploads"));
    try (var s = Files.list(uploads)) {
      for (Path p : s.toList()) {
        Files.deleteIfExists(p); // an import cut short by a crash
      }
    }
  }

  /** Where archives being uploaded for {@link #importArchive} are written. */
  public Path uploads() {
    return uploads;
  }

  /** Tells {@code observer} (the agent's metrics) about every pull from now on. */
  public void observe(PullObserver observer) {
    this.observer = observer;
  }

  /**
   * What the pull of {@code reference} in progress has done ({@link PullProgress#describe}), or
   * empty when none runs. Cheap and non-blocking: task supervisors poll it.
   */
  public Optional<String> progress(String reference) {
    return pullProgress(reference).map(PullProgress::describe);
  }

  /** The pull of {@code reference} in progress, if one runs. */
  public Optional<PullProgress> pullProgress(String reference) {
    try {
      return Optional.ofNullable(pulls.get(ImageReference.parse(reference).toString()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public ContentStore content() {
    return content;
  }

  public ImagePuller puller() {
    return puller;
  }

  /** Imports the image directory's archives (at start); bad ones are logged and skipped. */
  public void importImageDir() {
    if (imageDir != null) {
      scanImageDir();
    }
    scheduleCollection();
  }

  /** {@link #prepare(String, boolean)} of a cached image when the agent has it. */
  public PreparedImage prepare(String reference) throws IOException {
    return prepare(reference, false);
  }

  /**
   * Pulls (or finds) {@code reference}, unpacks its layers and leases them until
   * {@link #release}. An image the agent has (pulled or imported) is used as it is unless
   * {@code forcePull}, as Mesos does with {@code Image.cached} (default true): a launch then
   * makes no registry round trip, and a registry that is down does not stop tasks whose image
   * is here. With {@code forcePull} an image from a registry is asked for again (its tag may
   * have moved); an imported one has no registry to ask and is used as it is.
   *
   * @throws IllegalArgumentException for an invalid reference
   * @throws IOException with a message fit for the task's status when the pull or unpack fails
   */
  public PreparedImage prepare(String reference, boolean forcePull) throws IOException {
    ImageReference ref = ImageReference.parse(reference);
    lock.readLock().lock();
    try {
      long start = System.nanoTime();
      PulledImage image = resolve(ref, forcePull);
      long pulled = System.nanoTime();
      PreparedImage prepared = unpack(image);
      observer.unpacked(System.nanoTime() - pulled);
      prepared.layers().forEach(l -> leases.merge(l, 1, Integer::sum));
      LOG.info("Image {} ({}) ready: resolve {} ms, unpack {} ms", ref, image.manifestDigest(),
          (pulled - start) / 1_000_000, (System.nanoTime() - pulled) / 1_000_000);
      return prepared;
    } finally {
      lock.readLock().unlock();
      afterPull();
    }
  }

  /** Ends the lease {@link #prepare} took (once the container names its layers, or failed). */
  public void release(PreparedImage image) {
    image.layers().forEach(l -> leases.computeIfPresent(l, (k, n) -> n <= 1 ? null : n - 1));
  }

  /** Pulls {@code reference} from its registry and unpacks it, for {@code terrace image pull}. */
  public ImageSummary pull(String reference) throws IOException {
    ImageReference ref = ImageReference.parse(reference);
    lock.readLock().lock();
    try {
      unpack(pullAndRecord(ref));
    } finally {
      lock.readLock().unlock();
      afterPull();
    }
    return summary(ref.toString());
  }

  /**
   * Imports a {@code docker save} archive or an OCI layout (file or directory): its blobs go to
   * the store, its layers are unpacked (a layer that would escape its directory fails the import)
   * and each named image is recorded. Returns the references imported.
   */
  public List<String> importArchive(Path file) throws IOException {
    List<String> refs = new ArrayList<>();
    lock.readLock().lock();
    try {
      List<ArchiveImporter.Imported> found = importer.read(file);
      for (ArchiveImporter.Imported i : found) {
        unpack(i.image());
      }
      long now = System.currentTimeMillis();
      for (ArchiveImporter.Imported i : found) {
        records.put(ImageRecord.of(i.image(), i.manifestType(), ImageRecord.ARCHIVE, now));
        refs.add(i.image().reference().toString());
      }
      LOG.info("Imported {} from {}", refs, file);
      observer.imported(refs.size());
    } finally {
      lock.readLock().unlock();
      afterPull();
    }
    return refs;
  }

  public List<ImageSummary> list() throws IOException {
    return collector.list();
  }

  /** Removes one image (refused when a container uses it); returns the bytes freed. */
  public long remove(String reference) throws IOException {
    return collector.remove(ImageReference.parse(reference).toString()).freedBytes();
  }

  /** Removes every image no container uses; returns the references removed. */
  public List<String> prune() throws IOException {
    return collector.prune().references();
  }

  /** Runs automatic collection now (normally after pulls, in the background). */
  public List<String> collect() throws IOException {
    return collector.collect().references();
  }

  /** Bytes of blobs and unpacked layers. */
  public long diskUsage() throws IOException {
    return collector.diskUsage();
  }

  private ImageSummary summary(String reference) throws IOException {
    return collector.list().stream().filter(s -> s.reference().equals(reference)).findFirst()
        .orElseThrow(() -> new IOException("image " + reference + " vanished after its pull"));
  }

  /** Under the read lock: a local record from an archive, else the registry. */
  private PulledImage resolve(ImageReference ref, boolean forcePull) throws IOException {
    Optional<PulledImage> local = local(ref, !forcePull);
    if (local.isEmpty() && imageDir != null && scanImageDir()) {
      local = local(ref, !forcePull);
    }
    if (local.isPresent()) {
      return local.get();
    }
    return pullAndRecord(ref);
  }

  private PulledImage pullAndRecord(ImageReference ref) throws IOException {
    PullProgress progress = new PullProgress(ref.toString());
    PullProgress earlier = pulls.putIfAbsent(ref.toString(), progress);
    long start = System.nanoTime();
    boolean ok = false;
    PulledImage image;
    try {
      // A second pull of the same reference at once shares the first one's downloads (and its
      // progress, which is what it is waiting for).
      image = puller.pull(ref, earlier != null ? earlier : progress, observer);
      ok = true;
    } finally {
      pulls.remove(ref.toString(), progress);
      observer.pulled(ok, System.nanoTime() - start);
    }
    records.put(ImageRecord.of(image, null, ImageRecord.REGISTRY, System.currentTimeMillis()));
    return image;
  }

  /**
   * The image {@code ref} as the agent has it (imported from an archive, or also pulled from a
   * registry when {@code pulledToo}), with its last use updated.
   */
  private Optional<PulledImage> local(ImageReference ref, boolean pulledToo) throws IOException {
    Optional<ImageRecord> r = records.get(ref.toString());
    if (r.isEmpty() || !(r.get().fromArchive() || pulledToo)) {
      return Optional.empty();
    }
    ImageRecord record = r.get();
    for (Digest d : record.blobs()) {
      if (!content.contains(d)) {
        LOG.warn("Image {} lost blob {}; forgetting it", ref, d);
        records.remove(record.reference());
        return Optional.empty();
      }
    }
    records.put(record.usedAt(System.currentTimeMillis()));
    ImageConfig config = ImageConfig.parse(Files.readAllBytes(content.path(record.config())));
    return Optional.of(new PulledImage(ref, record.manifest(), config, record.layers(),
        record.config()));
  }

  /** Imports new or changed files of the image directory; true when any image was added. */
  private boolean scanImageDir() {
    boolean added = false;
    for (Path file : imageDir.changed()) {
      try {
        added |= !importArchive(file).isEmpty();
        imageDir.imported(file);
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot import {} from the image directory: {}", file, e.getMessage());
        imageDir.imported(file); // not again until it changes
      }
    }
    return added;
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

  private Set<Path> layersInUse() throws IOException {
    Set<Path> used = new HashSet<>(leases.keySet());
    if (settings.containersDir() != null) {
      used.addAll(LayerUsage.inUse(settings.containersDir()));
    }
    return used;
  }

  /** After a pull: a sweep that waited for it, then automatic collection. */
  private void afterPull() {
    if (lock.getReadLockCount() == 0) {
      scheduleCollection();
    }
  }

  private void scheduleCollection() {
    // Without automatic collection, only a removal's sweep that waited for pulls is left to do.
    if (settings.gcThresholdBytes() <= 0 && !collector.pending()) {
      return;
    }
    try {
      gc.execute(() -> {
        try {
          collector.afterPull();
          collector.collect();
        } catch (IOException | RuntimeException e) {
          LOG.warn("Image GC failed: {}", e.getMessage());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  @Override
  public void close() {
    gc.shutdown();
    try {
      // A sweep in progress finishes: a half-done one is harmless, but callers may delete the store.
      gc.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    puller.close();
  }
}
