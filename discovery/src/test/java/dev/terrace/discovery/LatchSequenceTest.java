package dev.terrace.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatchSequenceTest {

  @Test
  void readsTheSequenceLeaderLatchAppends() {
    assertThat(ZooKeeperMasterDetector.sequence("_c_0f1e2d3c-aaaa-bbbb-cccc-0123456789ab-latch-0000000003"))
        .isEqualTo(3);
    assertThat(ZooKeeperMasterDetector.sequence("latch-0000000120")).isEqualTo(120);
  }

  @Test
  void rejectsNamesWithoutOne() {
    assertThat(ZooKeeperMasterDetector.sequence("member-0000000001")).isNegative();
    assertThat(ZooKeeperMasterDetector.sequence("_c_x-latch-")).isNegative();
    assertThat(ZooKeeperMasterDetector.sequence("_c_x-latch-12ab")).isNegative();
  }
}
