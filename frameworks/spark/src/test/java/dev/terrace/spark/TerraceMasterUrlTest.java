package dev.terrace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.spark.master.TerraceMasterUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TerraceMasterUrlTest {
  @Test
  void hostAndPortBecomeTheMastersHttpUrl() {
    assertThat(TerraceMasterUrl.parse("terrace://10.0.0.5:5050").sdkUrl()).isEqualTo("http://10.0.0.5:5050");
    assertThat(TerraceMasterUrl.parse("terrace://master.example:5050/").sdkUrl())
        .isEqualTo("http://master.example:5050");
  }

  @Test
  void zooKeeperUrlsAreHandedToTheDetector() {
    assertThat(TerraceMasterUrl.parse("terrace://zk://zk1:2181,zk2:2181/terrace").sdkUrl())
        .isEqualTo("zk://zk1:2181,zk2:2181/terrace");
  }

  @ParameterizedTest
  @ValueSource(strings = {"spark://h:7077", "terrace://", "terrace://host", "terrace://host:port",
      "terrace://zk://zk1:2181", "terrace://zk://zk1:2181/", "terrace://zk:///terrace",
      "terrace://http://h:5050", "terrace://h:5050/path"})
  void malformedUrlsAreRefusedWithTheFormsAccepted(String url) {
    assertThatThrownBy(() -> TerraceMasterUrl.parse(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(url)
        .hasMessageContaining("terrace://host:port or terrace://zk://host:2181/terrace");
  }

  @Test
  void onlyTerraceUrlsAreClaimed() {
    assertThat(TerraceMasterUrl.isTerrace("terrace://h:5050")).isTrue();
    assertThat(TerraceMasterUrl.isTerrace("mesos://h:5050")).isFalse();
    assertThat(TerraceMasterUrl.isTerrace(null)).isFalse();
  }
}
