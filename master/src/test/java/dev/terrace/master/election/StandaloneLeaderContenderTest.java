package dev.terrace.master.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.MasterInfo;
import org.junit.jupiter.api.Test;

class StandaloneLeaderContenderTest {

  @Test
  void electedOnStartLostOnClose() {
    RecordingListener listener = new RecordingListener();
    StandaloneLeaderContender contender = new StandaloneLeaderContender();
    contender.start(new MasterInfo("m1", null, 5050, null, "localhost", null, null), listener);
    assertThat(contender.isLeader()).isTrue();
    await().until(() -> listener.events.size() == 1);
    assertThat(listener.events).containsExactly("elected");
    assertThat(listener.threads.get(0)).isNotEqualTo(Thread.currentThread().getName());

    contender.close();
    assertThat(contender.isLeader()).isFalse();
    await().until(() -> listener.events.size() == 2);
    assertThat(listener.last()).isEqualTo("lost: contender closed");
  }
}
