package dev.terrace.agent.image;

import dev.terrace.agent.content.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cached images, one JSON file per reference under {@code <root>/<sha256 of the reference>},
 * each written to a temporary file and renamed so that a crash leaves either the old record or the
 * new one.
 */
public final class ImageRecords {
  private static final Logger LOG = LoggerFactory.getLogger(ImageRecords.class);
  private final Path root;

  public ImageRecords(Path root) throws IOException {
    this.root = Files.createDirectories(root);
  }

  private Path file(String reference) {
    return root.resolve(Digest.of(reference.getBytes(StandardCharsets.UTF_8)).hex() + ".json");
  }

  public Optional<ImageRecord> get(String reference) throws IOException {
    try {
      return Optional.of(ImageRecord.fromJson(Files.readAllBytes(file(reference))));
    } catch (java.nio.file.NoSuchFileException e) {
      // Absent, or removed by a sweep between a listing and this read: either way, no record.
      return Optional.empty();
    }
  }

  public void put(ImageRecord record) throws IOException {
    Path tmp = root.resolve(".tmp-" + UUID.randomUUID());
    try {
      Files.write(tmp, record.toJson());
      Files.move(tmp, file(record.reference()), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  public boolean remove(String reference) throws IOException {
    return Files.deleteIfExists(file(reference));
  }

  /** Every record; an unreadable one is logged and skipped (its blobs become collectable). */
  public List<ImageRecord> all() throws IOException {
    List<ImageRecord> out = new ArrayList<>();
    try (var s = Files.list(root)) {
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        try {
          out.add(ImageRecord.fromJson(Files.readAllBytes(p)));
        } catch (IOException e) {
          LOG.warn("Ignoring unreadable image record {}: {}", p, e.getMessage());
        }
      }
    }
    return out;
  }
}
