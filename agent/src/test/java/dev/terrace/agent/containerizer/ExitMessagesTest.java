package dev.terrace.agent.containerizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.cgroups.MemoryEvidence;
import org.junit.jupiter.api.Test;

class ExitMessagesTest {
  private static final MemoryEvidence CALM = new MemoryEvidence(0, 0, 32L << 20, 1 << 20);

  @Test
  void plainExit() {
    assertThat(ExitMessages.of(3, false, CALM, 32L << 20))
        .isEqualTo(new ContainerExit(3, 0, false, "Command exited with status 3"));
  }

  @Test
  void signalledByTheAgent() {
    assertThat(ExitMessages.of(143, true, CALM, 32L << 20))
        .isEqualTo(new ContainerExit(143, 15, false, "Command terminated by signal 15"));
  }

  @Test
  void highStatusWithoutASignalIsAStatus() {
    assertThat(ExitMessages.of(130, false, CALM, 32L << 20).signal()).isZero();
    assertThat(ExitMessages.of(255, true, CALM, 32L << 20).signal()).isZero();
  }

  @Test
  void oomKill() {
    ContainerExit exit = ExitMessages.of(137, false,
        new MemoryEvidence(1, 12, 32L << 20, 32L << 20), 32L << 20);
    assertThat(exit).isEqualTo(new ContainerExit(137, 9, true,
        "Memory limit exceeded: Requested: 32MB Maximum Used: 32MB"));
  }

  @Test
  void missingEvidenceIsNoOom() {
    assertThat(ExitMessages.of(137, true, null, 1 << 20))
        .isEqualTo(new ContainerExit(137, 9, false, "Command terminated by signal 9"));
  }

  @Test
  void bytesUseTheLargestExactUnit() {
    assertThat(ExitMessages.bytes(32L << 20)).isEqualTo("32MB");
    assertThat(ExitMessages.bytes(3L << 30)).isEqualTo("3GB");
    assertThat(ExitMessages.bytes(1536)).isEqualTo("1536B");
    assertThat(ExitMessages.bytes(2048)).isEqualTo("2KB");
    assertThat(ExitMessages.bytes(1000)).isEqualTo("1000B");
    assertThat(ExitMessages.bytes(0)).isEqualTo("0B");
  }
}
