package dev.terrace.agent.fetcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.agent.content.Digest;
import dev.terrace.common.model.CommandInfo.Uri;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher against a real HTTP server and real archives in a temp sandbox. */
class UriFetcherTest {
  private static FileServer server;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    server = new FileServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private UriFetcher fetcher() {
    return new UriFetcher(dir.resolve("cache"));
  }

  private Path sandbox() throws Exception {
    return Files.createDirectories(dir.resolve("sandbox"));
  }

  private static Uri uri(String value) {
    return new Uri(value, null, null, null, null);
  }

  @Test
  void downloadsOverHttpUnderItsNameOrTheOutputFile() throws Exception {
    server.serve("/a/hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
    Path sandbox = sandbox();
    fetcher().fetch(List.of(uri(server.url("/a/hello.txt")),
        new Uri(server.url("/a/hello.txt"), null, null, null, "conf/renamed.txt")), sandbox);
    assertThat(sandbox.resolve("hello.txt")).hasContent("hello");
    assertThat(sandbox.resolve("conf/renamed.txt")).hasContent("hello");
    assertThat(Files.isExecutable(sandbox.resolve("hello.txt"))).isFalse();
  }

  @Test
  void executableSetsTheBitAndDoesNotExtract() throws Exception {
    byte[] tgz = Archives.tar(true, "x.sh", "echo", 0644);
    server.serve("/tool.tgz", tgz);
    Path sandbox = sandbox();
    fetcher().fetch(List.of(new Uri(server.url("/tool.tgz"), true, null, null, null)), sandbox);
    assertThat(Files.isExecutable(sandbox.resolve("tool.tgz"))).isTrue();
    assertThat(sandbox.resolve("x.sh")).doesNotExist();
  }

  @Test
  void extractsTgzTarAndZipKeepingModes() throws Exception {
    server.serve("/app.tgz", Archives.tar(true, "app/", "", 0755, "app/run.sh", "#!/bin/sh\necho run\n", 0755,
        "app/data.txt", "data", 0644, "app/link", "data.txt", 0));
    server.serve("/plain.tar", Archives.tar(false, "p.txt", "plain", 0644));
    server.serve("/z.zip", Archives.zip("bin/z.sh", "zz", 0755));
    Path sandbox = sandbox();
    fetcher().fetch(List.of(uri(server.url("/app.tgz")), uri(server.url("/plain.tar")),
        uri(server.url("/z.zip"))), sandbox);
    assertThat(sandbox.resolve("app/run.sh")).hasContent("#!/bin/sh\necho run");
    assertThat(Files.isExecutable(sandbox.resolve("app/run.sh"))).isTrue();
    assertThat(Files.isExecutable(sandbox.resolve("app/data.txt"))).isFalse();
    assertThat(sandbox.resolve("app/link")).hasContent("data");
    assertThat(sandbox.resolve("p.txt")).hasContent("plain");
    assertThat(sandbox.resolve("bin/z.sh")).hasContent("zz");
    assertThat(Files.isExecutable(sandbox.resolve("bin/z.sh"))).isTrue();
    assertThat(sandbox.resolve("app.tgz")).exists();
  }

  @Test
  void extractDisabledKeepsTheArchiveOnly() throws Exception {
    server.serve("/keep.tar", Archives.tar(false, "k.txt", "k", 0644));
    Path sandbox = sandbox();
    fetcher().fetch(List.of(new Uri(server.url("/keep.tar"), null, false, null, null)), sandbox);
    assertThat(sandbox.resolve("keep.tar")).exists();
    assertThat(sandbox.resolve("k.txt")).doesNotExist();
  }

  @Test
  void entriesEscapingTheSandboxAreRefused() throws Exception {
    server.serve("/evil.tar", Archives.tar(false, "../escaped.txt", "gotcha", 0644));
    server.serve("/evil-link.tgz", Archives.tar(true, "l", "/etc/passwd", 0));
    server.serve("/evil-rel-link.tgz", Archives.tar(true, "sub/l", "../../outside", 0));
    Path sandbox = sandbox();
    assertThatThrownBy(() -> fetcher().fetch(List.of(uri(server.url("/evil.tar"))), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("outside the sandbox");
    assertThat(dir.resolve("escaped.txt")).doesNotExist();
    assertThatThrownBy(() -> fetcher().fetch(List.of(uri(server.url("/evil-link.tgz"))), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("outside the sandbox");
    assertThatThrownBy(() -> fetcher().fetch(List.of(uri(server.url("/evil-rel-link.tgz"))), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("outside the sandbox");
    assertThatThrownBy(() -> fetcher().fetch(List.of(
        new Uri(server.url("/evil.tar"), null, false, null, "../out.tar")), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("outside the sandbox");
    assertThat(dir.resolve("out.tar")).doesNotExist();
  }

  @Test
  void cachedUrisAreDownloadedOncePerUriAndDigest() throws Exception {
    byte[] body = "cached body".getBytes(StandardCharsets.UTF_8);
    server.serve("/c.bin", body);
    UriFetcher fetcher = fetcher();
    Path one = Files.createDirectories(dir.resolve("one"));
    Path two = Files.createDirectories(dir.resolve("two"));
    Uri cached = new Uri(server.url("/c.bin"), null, null, true, null);
    fetcher.fetch(List.of(cached), one);
    fetcher.fetch(List.of(cached), two);
    assertThat(server.count("/c.bin")).isEqualTo(1);
    assertThat(two.resolve("c.bin")).hasContent("cached body");

    String sha = Digest.of(body).hex();
    Path three = Files.createDirectories(dir.resolve("three"));
    fetcher.fetch(List.of(new Uri(server.url("/c.bin") + "#sha256=" + sha, null, null, true, null)), three);
    assertThat(server.count("/c.bin")).isEqualTo(2); // a new key: URI and digest
    assertThat(three.resolve("c.bin")).hasContent("cached body");
  }

  @Test
  void digestMismatchNotFoundBadSchemeAndMissingFileFailWithTheCause() throws Exception {
    server.serve("/d.bin", "abc".getBytes(StandardCharsets.UTF_8));
    Path sandbox = sandbox();
    String wrong = "0".repeat(64);
    assertThatThrownBy(() -> fetcher().fetch(List.of(uri(server.url("/d.bin") + "#sha256=" + wrong)), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("sha256 is").hasMessageContaining(wrong);
    assertThat(sandbox.resolve("d.bin")).doesNotExist();
    assertThatThrownBy(() -> fetcher().fetch(List.of(uri(server.url("/missing"))), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("HTTP 404");
    assertThatThrownBy(() -> fetcher().fetch(List.of(uri("ftp://host/x")), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("not supported");
    assertThatThrownBy(() -> fetcher().fetch(List.of(uri(dir.resolve("nope").toString())), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("no such file");
    assertThatThrownBy(() -> fetcher().fetch(List.of(uri("http://127.0.0.1:1/x")), sandbox))
        .isInstanceOf(FetchException.class).hasMessageContaining("cannot fetch http://127.0.0.1:1/x");
  }

  @Test
  void fileUrisAndAbsolutePathsAreCopied() throws Exception {
    Path src = Files.writeString(dir.resolve("local.txt"), "local");
    Path sandbox = sandbox();
    fetcher().fetch(List.of(uri(src.toString()), new Uri(src.toUri().toString(), null, null, null, "b.txt")), sandbox);
    assertThat(sandbox.resolve("local.txt")).hasContent("local");
    assertThat(sandbox.resolve("b.txt")).hasContent("local");
  }
}
