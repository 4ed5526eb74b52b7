package dev.terrace.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The soak's code path at a size CI can afford: 20 agents, 3 frameworks, 20 seconds with the
 * leading master killed and agents crashed along the way. Only outcomes are asserted (nothing
 * lost, launched twice or double-allocated), never timings; the heap bound is left to the real
 * run, as a 20-second run's heap is mostly noise.
 */
class SoakSmokeTest {

  @Test
  void aShortSoakWithKillsLosesNothing() throws Exception {
    SoakOptions options = SoakOptions.parse("--seconds", "20", "--agents", "20", "--frameworks", "3",
        "--master-kill-seconds", "8", "--agent-kill-seconds", "3", "--drain-seconds", "90", "--seed", "7");

    SoakResult result = new SoakRun(options).run();
    System.out.println(result.summary());

    assertThat(result.masterKills()).isGreaterThanOrEqualTo(1);
    assertThat(result.agentKills()).isGreaterThanOrEqualTo(1);
    assertThat(result.tasks().launched()).isPositive();
    assertThat(result.tasks().finished()).isPositive();
    assertThat(result.tasks().lost()).isZero();
    assertThat(result.doubleLaunches()).isZero();
    assertThat(result.doubleAllocations()).isZero();
    assertThat(result.leaderSamples()).isPositive();
  }
}
