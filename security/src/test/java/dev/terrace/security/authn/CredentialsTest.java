package dev.terrace.security.authn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  private static Credentials parse(String json) {
    return Credentials.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsMesosFormatAndVerifiesSecrets() {
    Credentials c = parse("{\"credentials\":[{\"principal\":\"a\",\"secret\":\"x\"},{\"principal\":\"b\",\"secret\":\"y\"}]}");
    assertThat(c.principals()).containsExactlyInAnyOrder("a", "b");
    assertThat(c.verify("a", "x")).isTrue();
    assertThat(c.verify("a", "y")).isFalse();
    assertThat(c.verify("a", "x ")).isFalse();
    assertThat(c.verify("c", "x")).isFalse();
    assertThat(c.principalForToken("y")).contains("b");
    assertThat(c.principalForToken("z")).isEmpty();
  }

  @Test
  void refusesAnythingButWellFormedCredentials() {
    assertThatThrownBy(() -> parse("not json")).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> parse("{}")).hasMessageContaining("expecting {\"credentials\"");
    assertThatThrownBy(() -> parse("{\"credentials\":[{\"principal\":\"a\"}]}"))
        .hasMessageContaining("credential #0");
    assertThatThrownBy(() -> parse("{\"credentials\":[{\"principal\":\"a\",\"secret\":3}]}"))
        .hasMessageContaining("credential #0");
    assertThatThrownBy(() -> parse("{\"credentials\":[{\"principal\":\"a\",\"secret\":\"x\"},"
        + "{\"principal\":\"a\",\"secret\":\"y\"}]}")).hasMessageContaining("given twice");
  }

  @Test
  void authorizationHeaders() {
    Credentials c = Credentials.of(Map.of("ops", "pa:ss"));
    assertThat(HttpCredentials.authenticate(HttpCredentials.basic("ops", "pa:ss"), c)).contains("ops");
    assertThat(HttpCredentials.authenticate("basic " + HttpCredentials.basic("ops", "pa:ss").substring(6), c))
        .contains("ops");
    assertThat(HttpCredentials.authenticate("Bearer pa:ss", c)).contains("ops");
    assertThat(HttpCredentials.authenticate(HttpCredentials.basic("ops", "other"), c)).isEmpty();
    assertThat(HttpCredentials.authenticate("Basic %%%", c)).isEmpty();
    assertThat(HttpCredentials.authenticate("Basic", c)).isEmpty();
    assertThat(HttpCredentials.authenticate("Digest abc", c)).isEmpty();
    assertThat(HttpCredentials.authenticate(null, c)).isEmpty();
    assertThatThrownBy(() -> HttpCredentials.basic("a:b", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
