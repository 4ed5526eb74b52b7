package dev.terrace.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.MasterInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class StandaloneMasterDetectorTest {

  @Test
  void knowsTheLeaderAtOnce() {
    try (MasterDetector detector = MasterDetector.forUrl("http://10.1.2.3:5050")) {
      MasterInfo leader = detector.leader().orElseThrow();
      assertThat(leader.id()).isEqualTo("standalone");
      assertThat(leader.hostname()).isEqualTo("10.1.2.3");
      assertThat(leader.port()).isEqualTo(5050);
      assertThat(leader.ip()).isEqualTo(MasterInfo.packIpv4("10.1.2.3"));
      assertThat(leader.address().ip()).isEqualTo("10.1.2.3");
      assertThat(leader.baseUrl()).isEqualTo("http://10.1.2.3:5050");
      assertThat(detector.awaitLeader()).isCompletedWithValue(leader);
    }
  }

  @Test
  void hostNameIsKeptWithoutResolving() {
    try (MasterDetector detector = MasterDetector.forUrl("http://master.example:5050/")) {
      MasterInfo leader = detector.leader().orElseThrow();
      assertThat(leader.hostname()).isEqualTo("master.example");
      assertThat(leader.ip()).isNull();
      assertThat(leader.baseUrl()).isEqualTo("http://master.example:5050");
    }
  }

  @Test
  void listenerIsCalledOnceWithTheLeaderOnADetectorThread() {
    List<Optional<MasterInfo>> seen = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    try (MasterDetector detector = MasterDetector.forUrl("http://127.0.0.1:5050")) {
      detector.addListener(
          m -> {
            seen.add(m);
            threads.add(Thread.currentThread().getName());
          });
      await().until(() -> seen.size() == 1);
      assertThat(seen.get(0)).contains(detector.leader().orElseThrow());
      assertThat(threads.get(0)).isNotEqualTo(Thread.currentThread().getName());
    }
  }

  @Test
  void rejectsBadHttpUrls() {
    for (String url :
        List.of("http://host", "http://host:0", "http://host:5050/path", "http://:5050")) {
      assertThatThrownBy(() -> MasterDetector.forUrl(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected http://host:port");
    }
  }

  @Test
  void otherSchemesAreRefusedNamingTheAcceptedForms() {
    for (String url : List.of("https://host:5050", "file:///etc/master", "host:5050", "")) {
      assertThatThrownBy(() -> MasterDetector.forUrl(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("zk://host:port[,host:port...]/path")
          .hasMessageContaining("http://host:port");
    }
  }
}
