package dev.terrace.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.health.HealthState.Verdict;
import dev.terrace.common.model.HealthCheck;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The health decisions against a fake clock (nanoseconds since the checks started). */
class HealthStateTest {
  private static final long SECOND = 1_000_000_000L;

  private static HealthState state(double grace, int failures) {
    return new HealthState(HealthPolicy.of(new HealthCheck(HealthCheck.Type.TCP, 0.0, 1.0, 1.0,
        failures, grace, null, null, new HealthCheck.Tcp(null, 1))), 0);
  }

  @Test
  void defaultsAreMesos() {
    HealthPolicy p = HealthPolicy.of(new HealthCheck(HealthCheck.Type.TCP, null, null, null, null,
        null, null, null, new HealthCheck.Tcp(null, 80)));
    assertThat(p).isEqualTo(new HealthPolicy(Duration.ofSeconds(15), Duration.ofSeconds(10),
        Duration.ofSeconds(20), Duration.ofSeconds(10), 3));
    assertThat(HealthPolicy.of(new HealthCheck(HealthCheck.Type.TCP, 0.5, 0.25, -1.0, 1, 0.0,
        null, null, null))).isEqualTo(new HealthPolicy(Duration.ofMillis(500),
        Duration.ofMillis(250), Duration.ofSeconds(20), Duration.ZERO, 1));
  }

  @Test
  void failuresInTheGracePeriodDoNotCount() {
    HealthState s = state(10, 1);
    assertThat(s.failure(5 * SECOND)).isEqualTo(new Verdict(null, false, false));
    assertThat(s.failure(10 * SECOND)).isEqualTo(new Verdict(null, false, false));
    assertThat(s.healthy()).isNull();
    assertThat(s.failure(10 * SECOND + 1)).isEqualTo(new Verdict(false, true, true));
  }

  @Test
  void aSuccessEndsTheGracePeriodEarly() {
    HealthState s = state(60, 2);
    assertThat(s.success()).isEqualTo(new Verdict(true, false, true));
    assertThat(s.failure(2 * SECOND)).isEqualTo(new Verdict(false, false, true));
    assertThat(s.failure(3 * SECOND)).isEqualTo(new Verdict(null, true, true));
  }

  @Test
  void onlyChangesAreReportedAndTheKillComesOnce() {
    HealthState s = state(0, 3);
    assertThat(s.success()).isEqualTo(new Verdict(true, false, true));
    assertThat(s.success()).isEqualTo(new Verdict(null, false, true));
    assertThat(s.failure(SECOND)).isEqualTo(new Verdict(false, false, true));
    assertThat(s.failure(2 * SECOND)).isEqualTo(new Verdict(null, false, true));
    // A success in between resets the count.
    assertThat(s.success()).isEqualTo(new Verdict(true, false, true));
    assertThat(s.failure(3 * SECOND)).isEqualTo(new Verdict(false, false, true));
    assertThat(s.failure(4 * SECOND)).isEqualTo(new Verdict(null, false, true));
    assertThat(s.failure(5 * SECOND)).isEqualTo(new Verdict(null, true, true));
    assertThat(s.consecutiveFailures()).isEqualTo(3);
    assertThat(s.failure(6 * SECOND).kill()).isFalse();
  }

  @Test
  void zeroConsecutiveFailuresNeverKills() {
    HealthState s = state(0, 0);
    for (int i = 1; i <= 10; i++) {
      assertThat(s.failure(i * SECOND).kill()).isFalse();
    }
    assertThat(s.healthy()).isFalse();
  }
}
