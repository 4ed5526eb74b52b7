package dev.terrace.agent.fetcher;

import dev.terrace.agent.content.Digest;
import dev.terrace.agent.content.SingleFlight;
import dev.terrace.common.model.CommandInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Fetches a task's {@code CommandInfo.uris} into its sandbox before the container starts, as
 * Mesos' fetcher does: http(s) downloads and file copies, optional extraction of tar, tgz and zip
 * archives, the executable bit, and a per-agent cache for URIs marked {@code cache}, keyed by the
 * URI and its digest ({@code #sha256=<hex>}, checked after every download when given).
 *
 * <p>Blocking: call from the agent's worker pool only, never an event loop.
 */
public final class UriFetcher {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

  private final Path cacheDir;
  private final HttpClient http;
  private final SingleFlight<String> downloads = new SingleFlight<>();

  /** {@code cacheDir} holds cached downloads (one file per cache key); it survives restarts. */
  public UriFetcher(Path cacheDir) {
    this.cacheDir = cacheDir;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /** Fetches every URI into {@code sandbox}, in order; the first failure stops and is thrown. */
  public void fetch(List<CommandInfo.Uri> uris, Path sandbox) throws FetchException {
    for (CommandInfo.Uri uri : uris) {
      FetchUri f = FetchUri.of(uri);
      try {
        fetchOne(f, sandbox.toAbsolutePath().normalize());
      } catch (FetchException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new FetchException("cannot fetch " + f.display() + ": " + describe(e), e);
      }
    }
  }

  private void fetchOne(FetchUri f, Path sandbox) throws IOException {
    Path dest = sandbox.resolve(f.fileName()).normalize();
    if (!dest.startsWith(sandbox) || dest.equals(sandbox)) {
      throw new FetchException("output file " + f.fileName() + " of " + f.display() + " is outside the sandbox");
    }
    Files.createDirectories(dest.getParent());
    if (f.cache()) {
      Path cached = cached(f);
      Files.copy(cached, dest, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Path tmp = Files.createTempFile(dest.getParent(), ".fetch-", ".part");
      try {
        download(f, tmp);
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    if (f.executable()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dest);
      perms.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
      Files.setPosixFilePermissions(dest, perms);
    } else if (f.extract() && f.isArchive()) {
      ArchiveExtractor.extract(dest, ArchiveExtractor.formatOf(f.fileName()).orElseThrow(), sandbox);
    }
  }

  /** The cached copy for {@code f}, downloaded once even when tasks ask for it together. */
  private Path cached(FetchUri f) throws IOException {
    String key = Digest.of(f.cacheKey().getBytes(StandardCharsets.UTF_8)).hex();
    Path target = cacheDir.resolve(key);
    return downloads.get(key, target, Files::isRegularFile, () -> {
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, ".fetch-", ".part");
      try {
        download(f, tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    });
  }

  /** Writes the URI's bytes to {@code out}, checking the digest when one was given. */
  private void download(FetchUri f, Path out) throws IOException {
    MessageDigest sha = Digest.newSha256();
    try (InputStream in = new DigestInputStream(open(f), sha)) {
      Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }
    if (f.sha256().isPresent()) {
      String actual = Digest.of(sha).hex();
      if (!actual.equals(f.sha256().get())) {
        throw new FetchException("cannot fetch " + f.display() + ": sha256 is " + actual
            + ", expected " + f.sha256().get());
      }
    }
  }

  private InputStream open(FetchUri f) throws IOException {
    if (f.source().getScheme().equalsIgnoreCase("file")) {
      Path p = Path.of(f.source());
      if (!Files.isRegularFile(p)) {
        throw new FetchException("cannot fetch " + f.display() + ": no such file");
      }
      return Files.newInputStream(p);
    }
    HttpRequest request = HttpRequest.newBuilder(f.source()).timeout(REQUEST_TIMEOUT).GET().build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("cannot fetch " + f.display() + ": interrupted");
    }
    if (response.statusCode() != 200) {
      response.body().close();
      throw new FetchException("cannot fetch " + f.display() + ": HTTP " + response.statusCode());
    }
    return response.body();
  }

  private static String describe(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
