package dev.terrace.agent.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.terrace.agent.content.Digest;
import dev.terrace.agent.image.fixture.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer unpacking into the layer store. Owners, whiteouts (mknod) and opaque directories
 * ({@code trusted.*} xattrs) need root; those tests are skipped otherwise.
 */
class LayerStoreTest {
  private static final int S_IFMT = 0170000;

  interface XattrLib extends Library {
    XattrLib INSTANCE = Native.load("c", XattrLib.class);

    long lgetxattr(String path, String name, byte[] value, long size);
  }

  @TempDir Path dir;
  Path layers;
  Path outside;
  LayerStore store;

  @BeforeEach
  void setUp() throws Exception {
    layers = dir.resolve("layers");
    outside = Files.createDirectories(dir.resolve("outside"));
    store = new LayerStore(layers);
  }

  private Path unpack(byte[] tar) throws Exception {
    return unpack(tar, TarBuilder.gzip(tar));
  }

  private Path unpack(byte[] tar, byte[] blob) throws Exception {
    return store.unpack(Digest.of(tar), () -> new ByteArrayInputStream(blob));
  }

  private static void assumeRoot() {
    Assumptions.assumeTrue(NativeFs.isRoot(), "needs root (chown, mknod, trusted.* xattrs)");
  }

  private void assertNothingLeft(byte[] tar) throws Exception {
    assertThat(store.path(Digest.of(tar))).doesNotExist();
    assertThat(layers.resolve("tmp")).isEmptyDirectory();
    assertThat(outside).isEmptyDirectory();
    assertThat(layers.resolve("escape")).doesNotExist();
    assertThat(dir.resolve("escape")).doesNotExist();
  }

  @Test
  void keepsFilesDirectoriesSymlinksHardLinksModesAndMtimes() throws Exception {
    Instant mtime = Instant.parse("2020-01-02T03:04:05Z");
    byte[] tar = new TarBuilder()
        .dir("bin", 0755)
        .file("bin/tool", 04755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))
        .symlink("bin/alias", "/bin/tool")
        .symlink("bin/dangling", "../../../nowhere")
        .hardlink("bin/tool-again", "bin/tool")
        .file("deep/implicit/parents.txt", "made")
        .fileOwned("etc/owned", 0640, 1234, 5678, mtime, Map.of(), "mine")
        .dir("sticky", 01777)
        .tar();
    Path layer = unpack(tar);

    assertThat(layer).isEqualTo(layers.resolve("sha256").resolve(Digest.of(tar).hex()));
    assertThat(mode(layer.resolve("bin/tool"))).isEqualTo(0104755);
    assertThat(Files.readSymbolicLink(layer.resolve("bin/alias"))).hasToString("/bin/tool");
    // Kept verbatim: symlink targets are resolved inside the container, never by the agent.
    assertThat(Files.readSymbolicLink(layer.resolve("bin/dangling")))
        .hasToString("../../../nowhere");
    assertThat(Files.getAttribute(layer.resolve("bin/tool-again"), "unix:ino"))
        .isEqualTo(Files.getAttribute(layer.resolve("bin/tool"), "unix:ino"));
    assertThat(layer.resolve("deep/implicit/parents.txt")).hasContent("made");
    assertThat(mode(layer.resolve("sticky"))).isEqualTo(041777);
    assertThat(Files.getLastModifiedTime(layer.resolve("etc/owned")))
        .isEqualTo(FileTime.from(mtime));
    assertThat(Files.getLastModifiedTime(layer.resolve("bin"), LinkOption.NOFOLLOW_LINKS))
        .isEqualTo(FileTime.from(TarBuilder.EPOCH));
    if (NativeFs.isRoot()) {
      assertThat(Files.getAttribute(layer.resolve("etc/owned"), "unix:uid")).isEqualTo(1234);
      assertThat(Files.getAttribute(layer.resolve("etc/owned"), "unix:gid")).isEqualTo(5678);
    }
  }

  @Test
  void whiteoutsBecomeCharacterDevicesAndOpaqueDirsGetTheXattr() throws Exception {
    assumeRoot();
    byte[] tar = new TarBuilder()
        .dir("etc", 0755)
        .file("etc/.wh.removed.conf", "")
        .dir("var/cache", 0755)
        .file("var/cache/.wh..wh..opq", "")
        .file("var/cache/new", "fresh")
        .file(".wh.top", "")
        .tar();
    Path layer = unpack(tar);

    for (Path whiteout : new Path[] {layer.resolve("etc/removed.conf"), layer.resolve("top")}) {
      assertThat(mode(whiteout) & S_IFMT).isEqualTo(NativeFs.S_IFCHR);
      assertThat(Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS))
          .isEqualTo(0L);
    }
    assertThat(layer.resolve("etc/.wh.removed.conf")).doesNotExist();
    assertThat(layer.resolve("var/cache/.wh..wh..opq")).doesNotExist();
    assertThat(xattr(layer.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y");
    assertThat(layer.resolve("var/cache/new")).hasContent("fresh");
  }

  @Test
  void refusesDotDotEscapeAndLeavesNothingBehind() throws Exception {
    byte[] tar = new TarBuilder().file("ok", "fine").file("../escape", "escaped").tar();
    assertThatThrownBy(() -> unpack(tar))
        .isInstanceOf(LayerEscapeException.class)
        .hasMessageContaining("'../escape'")
        .hasMessageContaining("escape the layer directory");
    assertNothingLeft(tar);
    byte[] nested = new TarBuilder().file("a/b/../../../escape", "escaped").tar();
    assertThatThrownBy(() -> unpack(nested)).isInstanceOf(LayerEscapeException.class);
    assertNothingLeft(nested);
  }

  @Test
  void refusesWritingThroughASymlinkAndLeavesNothingBehind() throws Exception {
    byte[] tar = new TarBuilder()
        .symlink("link", outside.toString())
        .file("link/pwned", "owned the host")
        .tar();
    assertThatThrownBy(() -> unpack(tar))
        .isInstanceOf(LayerEscapeException.class)
        .hasMessageContaining("'link/pwned'")
        .hasMessageContaining("is a symlink");
    assertNothingLeft(tar);
  }

  @Test
  void refusesSymlinkedDirectoryThenHardLinkOut() throws Exception {
    byte[] viaDotDot = new TarBuilder().hardlink("h", "../../etc/passwd").tar();
    assertThatThrownBy(() -> unpack(viaDotDot))
        .isInstanceOf(LayerEscapeException.class)
        .hasMessageContaining("link target '../../etc/passwd'");
    assertNothingLeft(viaDotDot);
    byte[] viaSymlink = new TarBuilder()
        .symlink("etc", "/etc")
        .hardlink("stolen", "etc/passwd")
        .tar();
    assertThatThrownBy(() -> unpack(viaSymlink)).isInstanceOf(LayerEscapeException.class);
    assertNothingLeft(viaSymlink);
  }

  @Test
  void aFileReplacesASymlinkOfTheSameNameInsteadOfWritingThroughIt() throws Exception {
    Path victim = outside.resolve("victim");
    byte[] tar = new TarBuilder()
        .symlink("a", victim.toString())
        .file("a", "replaced")
        .tar();
    Path layer = unpack(tar);
    assertThat(layer.resolve("a")).isRegularFile().hasContent("replaced");
    assertThat(victim).doesNotExist();
  }

  @Test
  void wrongDiffIdIsRefused() throws Exception {
    byte[] tar = new TarBuilder().file("x", "1").tar();
    byte[] other = new TarBuilder().file("x", "2").tar();
    assertThatThrownBy(() -> unpack(tar, TarBuilder.gzip(other)))
        .hasMessageContaining("not to the diff_id");
    assertNothingLeft(tar);
  }

  @Test
  void zstdAndUncompressedLayers() throws Exception {
    byte[] tar = new TarBuilder().file("z", "zstd!").tar();
    ByteArrayOutputStream zst = new ByteArrayOutputStream();
    try (ZstdCompressorOutputStream out = new ZstdCompressorOutputStream(zst)) {
      out.write(tar);
    }
    assertThat(unpack(tar, zst.toByteArray()).resolve("z")).hasContent("zstd!");
    byte[] plain = new TarBuilder().file("p", "plain").tar();
    assertThat(unpack(plain, plain).resolve("p")).hasContent("plain");
  }

  @Test
  void anUnpackedLayerIsSharedNotUnpackedAgain() throws Exception {
    byte[] tar = new TarBuilder().file("shared", "once").tar();
    AtomicInteger opens = new AtomicInteger();
    LayerStore.Blob blob = () -> {
      opens.incrementAndGet();
      return new ByteArrayInputStream(TarBuilder.gzip(tar));
    };
    Path first = store.unpack(Digest.of(tar), blob);
    Path second = new LayerStore(layers).unpack(Digest.of(tar), blob);
    assertThat(second).isEqualTo(first);
    assertThat(opens).hasValue(1);
  }

  private static int mode(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
  }

  private static String xattr(Path p, String name) {
    byte[] buf = new byte[64];
    long n = XattrLib.INSTANCE.lgetxattr(p.toString(), name, buf, buf.length);
    return n < 0 ? null : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
  }
}
