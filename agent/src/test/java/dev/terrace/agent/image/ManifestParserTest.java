package dev.terrace.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String C = "sha256:" + "c".repeat(64);
  private static final String D = "sha256:" + "d".repeat(64);
  private static final String E = "sha256:" + "e".repeat(64);

  private static Object parse(String json, String contentType) throws ManifestException {
    return ManifestParser.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8),
        contentType);
  }

  private static String entry(String digest, String arch, String variant) {
    return "{'mediaType':'" + MediaTypes.OCI_MANIFEST + "','digest':'" + digest + "','size':10,"
        + "'platform':{'os':'linux','architecture':'" + arch + "'"
        + (variant == null ? "" : ",'variant':'" + variant + "'") + "}}";
  }

  private static ImageIndex index(String... entries) throws ManifestException {
    return (ImageIndex) parse("{'schemaVersion':2,'mediaType':'" + MediaTypes.OCI_INDEX
        + "','manifests':[" + String.join(",", entries) + "]}", null);
  }

  @Test
  void ociManifestWithoutMediaTypeField() throws Exception {
    Object m = parse("{'schemaVersion':2,'config':{'mediaType':'" + MediaTypes.OCI_CONFIG
        + "','digest':'" + A + "','size':5},'layers':[{'mediaType':'" + MediaTypes.OCI_LAYER_GZIP
        + "','digest':'" + B + "','size':7},{'mediaType':'" + MediaTypes.OCI_LAYER_ZSTD
        + "','digest':'" + C + "','size':9}]}", MediaTypes.OCI_MANIFEST);
    assertThat(m).isInstanceOfSatisfying(ImageManifest.class, manifest -> {
      assertThat(manifest.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
      assertThat(manifest.config().digest()).hasToString(A);
      assertThat(manifest.config().size()).isEqualTo(5);
      assertThat(manifest.layers()).extracting(d -> d.digest().toString()).containsExactly(B, C);
    });
  }

  @Test
  void dockerSchema2Manifest() throws Exception {
    Object m = parse("{'schemaVersion':2,'mediaType':'" + MediaTypes.DOCKER_MANIFEST
        + "','config':{'mediaType':'" + MediaTypes.DOCKER_CONFIG + "','digest':'" + A
        + "','size':5},'layers':[{'mediaType':'" + MediaTypes.DOCKER_LAYER_GZIP + "','digest':'"
        + B + "','size':7}]}", "application/json");
    assertThat(m).isInstanceOf(ImageManifest.class);
    assertThat(((ImageManifest) m).mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);
  }

  @Test
  void dockerManifestListIsAnIndex() throws Exception {
    Object m = parse("{'schemaVersion':2,'mediaType':'" + MediaTypes.DOCKER_MANIFEST_LIST
        + "','manifests':[" + entry(A, "amd64", null) + "]}", null);
    assertThat(m).isInstanceOf(ImageIndex.class);
  }

  @Test
  void indexPicksTheRequestedPlatform() throws Exception {
    ImageIndex index = index(
        "{'mediaType':'" + MediaTypes.OCI_MANIFEST + "','digest':'" + E + "','size':1,"
            + "'platform':{'os':'unknown','architecture':'unknown'}}",
        entry(A, "arm64", "v8"), entry(B, "amd64", null), entry(C, "arm", "v7"),
        entry(D, "arm", "v6"));
    assertThat(index.select(new Platform("linux", "amd64", "")).digest()).hasToString(B);
    assertThat(index.select(new Platform("linux", "arm64", "")).digest()).hasToString(A);
    assertThat(index.select(new Platform("linux", "arm", "v6")).digest()).hasToString(D);
    assertThatThrownBy(() -> index.select(new Platform("linux", "s390x", "")))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("no manifest for platform linux/s390x")
        .hasMessageContaining("linux/amd64");
  }

  @Test
  void indexPrefersAnEntryWithoutVariantWhenNoneIsWanted() throws Exception {
    ImageIndex index = index(entry(A, "arm64", "v8"), entry(B, "arm64", null));
    assertThat(index.select(new Platform("linux", "arm64", "")).digest()).hasToString(B);
  }

  @Test
  void hostPlatformUsesGoArchitectureNames() {
    assertThat(Platform.goArch("amd64")).isEqualTo("amd64");
    assertThat(Platform.goArch("x86_64")).isEqualTo("amd64");
    assertThat(Platform.goArch("aarch64")).isEqualTo("arm64");
    assertThat(Platform.host().os()).isEqualTo("linux");
  }

  @Test
  void rejectsSchema1BadDigestsAndForeignLayers() {
    assertThatThrownBy(() -> parse("{'schemaVersion':1,'fsLayers':[]}", null))
        .hasMessageContaining("schemaVersion 1");
    assertThatThrownBy(() -> parse("{'schemaVersion':2,'config':{'digest':'sha256:../x',"
        + "'size':1},'layers':[]}", MediaTypes.OCI_MANIFEST))
        .isInstanceOf(ManifestException.class).hasMessageContaining("sha256");
    assertThatThrownBy(() -> parse("{'schemaVersion':2,'config':{'digest':'" + A
        + "','size':1},'layers':[{'mediaType':'application/x-foo','digest':'" + B
        + "','size':1}]}", MediaTypes.OCI_MANIFEST))
        .hasMessageContaining("unsupported layer media type application/x-foo");
    assertThatThrownBy(() -> parse("not json", null)).hasMessageContaining("not valid JSON");
  }

  @Test
  void imageConfig() throws Exception {
    ImageConfig c = ImageConfig.parse(("{'architecture':'amd64','config':{'Entrypoint':['/e'],"
        + "'Cmd':['a','b'],'Env':['PATH=/bin','X=1'],'WorkingDir':'/w','User':'nobody'},"
        + "'rootfs':{'type':'layers','diff_ids':['" + A + "','" + B + "']}}")
        .replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    assertThat(c.entrypoint()).containsExactly("/e");
    assertThat(c.cmd()).containsExactly("a", "b");
    assertThat(c.env()).containsExactly("PATH=/bin", "X=1");
    assertThat(c.workingDir()).isEqualTo("/w");
    assertThat(c.user()).isEqualTo("nobody");
    assertThat(c.diffIds()).extracting(Object::toString).containsExactly(A, B);
    ImageConfig empty = ImageConfig.parse("{\"config\":{\"Cmd\":null}}".getBytes());
    assertThat(empty.cmd()).isEmpty();
    assertThat(empty.workingDir()).isNull();
  }

  @Test
  void authChallenges() {
    AuthChallenge bearer = AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\","
        + "service=\"registry.docker.io\",scope=\"repository:library/busybox:pull,push\"");
    assertThat(bearer.scheme()).isEqualTo("bearer");
    assertThat(bearer.param("realm")).isEqualTo("https://auth.docker.io/token");
    assertThat(bearer.param("service")).isEqualTo("registry.docker.io");
    assertThat(bearer.param("scope")).isEqualTo("repository:library/busybox:pull,push");
    AuthChallenge basic = AuthChallenge.parse("Basic realm=\"Registry Realm\"");
    assertThat(basic.scheme()).isEqualTo("basic");
    assertThat(basic.param("realm")).isEqualTo("Registry Realm");
  }
}
