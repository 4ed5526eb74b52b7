package dev.terrace.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZkUrlTest {

  @Test
  void parsesOneHost() {
    ZkUrl url = ZkUrl.parse("zk://zk1:2181/terrace");
    assertThat(url.connectString()).isEqualTo("zk1:2181");
    assertThat(url.basePath()).isEqualTo("/terrace");
    assertThat(url).hasToString("zk://zk1:2181/terrace");
  }

  @Test
  void parsesSeveralHostsAndNestedPath() {
    ZkUrl url = ZkUrl.parse("zk://10.0.0.1:2181,10.0.0.2:2182,[::1]:2183/a/b/");
    assertThat(url.connectString()).isEqualTo("10.0.0.1:2181,10.0.0.2:2182,[::1]:2183");
    assertThat(url.basePath()).isEqualTo("/a/b");
  }

  @Test
  void leaderAndRegistryPathsHangOffTheBase() {
    assertThat(LeaderPaths.leaderPath("/terrace")).isEqualTo("/terrace/leader");
    assertThat(LeaderPaths.registryPath("/terrace")).isEqualTo("/terrace/registry");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://zk1:2181/terrace | must start with zk://",
        "zk:///terrace | no hosts",
        "zk://,/terrace | no hosts",
        "zk://zk1/terrace | has no port",
        "zk://zk1:/terrace | bad port ''",
        "zk://zk1:abc/terrace | bad port 'abc'",
        "zk://zk1:70000/terrace | out of range",
        "zk://zk1:2181 | no path",
        "zk://zk1:2181/ | no path",
        "zk://zk1:2181//x | empty segment",
        "zk://zk1:2181/a/../b | relative segment",
        "zk://u:p@zk1:2181/terrace | credentials",
        "zk://::1:2181/terrace | bad host",
      })
  void rejectsBadUrlsSayingWhy(String url, String why) {
    assertThatThrownBy(() -> ZkUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why)
        .hasMessageContaining("expected zk://host:port[,host:port...]/path");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> ZkUrl.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
