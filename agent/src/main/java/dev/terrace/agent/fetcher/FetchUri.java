package dev.terrace.agent.fetcher;

import dev.terrace.common.model.CommandInfo;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * One {@code CommandInfo.uris} entry made sense of: where to get it (http, https, file or an
 * absolute path), the sha256 it must have when its value ends in {@code #sha256=<hex>} (an
 * extension: Mesos' URI has no digest field), the file name it gets in the sandbox, and Mesos'
 * defaults ({@code extract} true, {@code executable} and {@code cache} false).
 */
record FetchUri(URI source, String display, Optional<String> sha256, String fileName,
    boolean executable, boolean extract, boolean cache) {

  static FetchUri of(CommandInfo.Uri uri) throws FetchException {
    String value = uri.value();
    if (value == null || value.isBlank()) {
      throw new FetchException("a URI to fetch has no value");
    }
    Optional<String> sha256 = Optional.empty();
    int hash = value.indexOf('#');
    String location = value;
    if (hash >= 0) {
      String fragment = value.substring(hash + 1);
      location = value.substring(0, hash);
      if (!fragment.matches("sha256=[0-9a-fA-F]{64}")) {
        throw new FetchException("URI " + value + ": the only fragment understood is #sha256=<64 hex digits>");
      }
      sha256 = Optional.of(fragment.substring(7).toLowerCase(Locale.ROOT));
    }
    URI source;
    try {
      source = location.startsWith("/") ? Path.of(location).toUri() : new URI(location);
    } catch (URISyntaxException | java.nio.file.InvalidPathException e) {
      throw new FetchException("URI " + value + " is not valid: " + e.getMessage());
    }
    String scheme = source.getScheme() == null ? "" : source.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
      throw new FetchException("URI " + value + ": scheme '" + scheme + "' is not supported (http, https, file)");
    }
    String name = uri.outputFile() != null && !uri.outputFile().isBlank() ? uri.outputFile()
        : lastSegment(source);
    if (name.isEmpty()) {
      throw new FetchException("URI " + value + " names no file; give output_file");
    }
    return new FetchUri(source, location, sha256, name, Boolean.TRUE.equals(uri.executable()),
        !Boolean.FALSE.equals(uri.extract()), Boolean.TRUE.equals(uri.cache()));
  }

  private static String lastSegment(URI source) {
    String path = source.getPath() == null ? "" : source.getPath();
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Whether the file is an archive that {@link ArchiveExtractor} unpacks (by its name). */
  boolean isArchive() {
    return ArchiveExtractor.formatOf(fileName).isPresent();
  }

  /** The cache key: the URI and, when given, its digest. */
  String cacheKey() {
    return display + sha256.map(d -> "#sha256=" + d).orElse("");
  }
}
