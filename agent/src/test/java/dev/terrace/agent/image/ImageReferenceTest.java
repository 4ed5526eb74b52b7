package dev.terrace.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.agent.content.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
  private static final String HEX = "a".repeat(64);

  @ParameterizedTest
  @CsvSource({
      "busybox,                              docker.io,      library/busybox,  latest",
      "busybox:1.35,                         docker.io,      library/busybox,  1.35",
      "user/app,                             docker.io,      user/app,         latest",
      "docker.io/busybox,                    docker.io,      library/busybox,  latest",
      "index.docker.io/library/busybox:1,    docker.io,      library/busybox,  1",
      "quay.io/coreos/etcd:v3.5,             quay.io,        coreos/etcd,      v3.5",
      "127.0.0.1:5000/library/busybox:1.35,  127.0.0.1:5000, library/busybox,  1.35",
      "localhost/app,                        localhost,      app,              latest",
      "localhost:5000/a/b/c,                 localhost:5000, a/b/c,            latest",
      "Registry.Example.com:443/x/y:T_1.0-rc, registry.example.com:443, x/y,   T_1.0-rc",
  })
  void parsesWithDockerHubDefaults(String text, String registry, String repo, String tag) {
    ImageReference ref = ImageReference.parse(text);
    assertThat(ref.registry()).isEqualTo(registry);
    assertThat(ref.repository()).isEqualTo(repo);
    assertThat(ref.tag()).isEqualTo(tag);
    assertThat(ref.digest()).isNull();
  }

  @Test
  void digestWithAndWithoutTag() {
    ImageReference byDigest = ImageReference.parse("busybox@sha256:" + HEX);
    assertThat(byDigest.tag()).isNull();
    assertThat(byDigest.digest()).isEqualTo(new Digest(HEX));
    assertThat(byDigest.manifestReference()).isEqualTo("sha256:" + HEX);

    ImageReference both = ImageReference.parse("127.0.0.1:5000/app:1.0@sha256:" + HEX);
    assertThat(both.registry()).isEqualTo("127.0.0.1:5000");
    assertThat(both.repository()).isEqualTo("app");
    assertThat(both.tag()).isEqualTo("1.0");
    // The digest wins: it is what gets fetched and verified.
    assertThat(both.manifestReference()).isEqualTo("sha256:" + HEX);
    assertThat(both).hasToString("127.0.0.1:5000/app:1.0@sha256:" + HEX);
  }

  @Test
  void dockerHubApiHost() {
    assertThat(ImageReference.parse("busybox").apiHost()).isEqualTo("registry-1.docker.io");
    assertThat(ImageReference.parse("quay.io/a/b").apiHost()).isEqualTo("quay.io");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "Busybox", "busybox:", "busybox:bad/tag", "a//b",
      "busybox@sha256:abc", "busybox@md5:" + "a", "../etc", "a/../b", "busybox:-x",
      "bad_host:5000:1/x"})
  void rejectsInvalidReferences(String text) {
    assertThatThrownBy(() -> ImageReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void errorNamesTheReference() {
    assertThatThrownBy(() -> ImageReference.parse("UPPER/case"))
        .hasMessageContaining("UPPER/case");
  }
}
