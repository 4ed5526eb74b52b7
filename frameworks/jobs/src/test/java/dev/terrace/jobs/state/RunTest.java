package dev.terrace.jobs.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunTest {
  private static Run launchedAll(Run r, long now) {
    for (Attempt a : r.launchable(now)) {
      r = r.launched(a, "j." + r.number() + "." + a.instance() + "." + a.attempt(), "agent", "host", now);
    }
    return r;
  }

  @Test
  void aFailedInstanceRetriesAfterADoublingBackoffThenTheRunFails() {
    Run r = launchedAll(Run.create("j", 1, "manual", 1, 0), 0);
    assertThat(r.status()).isEqualTo(RunStatus.RUNNING);
    r = r.update("j.1.0.0", "TASK_FAILED", true, "Command exited with status 3", 3, 2, 1.0, 1000);
    assertThat(r.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(r.launchable(1999)).isEmpty();
    assertThat(r.launchable(2000)).singleElement().satisfies(a -> assertThat(a.attempt()).isEqualTo(1));
    r = launchedAll(r, 2000);
    r = r.update("j.1.0.1", "TASK_FAILED", true, "again", 3, 2, 1.0, 3000);
    assertThat(r.launchable(4999)).isEmpty(); // 2 s the second time
    r = launchedAll(r, 5000);
    r = r.update("j.1.0.2", "TASK_FAILED", true, "third", 3, 2, 1.0, 6000);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    assertThat(r.message()).contains("instance 0 failed (TASK_FAILED): third");
    assertThat(r.attempts()).hasSize(3).allSatisfy(a -> assertThat(a.exitCode()).isEqualTo(3));
    assertThat(r.finishedAt()).isEqualTo(6000L);
  }

  @Test
  void allInstancesMustFinishAndOneFailureWithoutRetriesFailsTheRun() {
    Run r = launchedAll(Run.create("j", 2, "manual", 3, 0), 0);
    r = r.update("j.2.0.0", "TASK_RUNNING", false, null, null, 0, 1, 10);
    assertThat(r.attempts().get(0).startedAt()).isEqualTo(10L);
    r = r.update("j.2.0.0", "TASK_FINISHED", true, null, 0, 0, 1, 20);
    r = r.update("j.2.1.0", "TASK_FINISHED", true, null, 0, 0, 1, 20);
    assertThat(r.status()).isEqualTo(RunStatus.RUNNING);
    Run done = r.update("j.2.2.0", "TASK_FINISHED", true, null, 0, 0, 1, 30);
    assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
    Run failed = r.update("j.2.2.0", "TASK_LOST", true, "agent gone", null, 0, 1, 30);
    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    // a late update after the end changes nothing
    assertThat(failed.update("j.2.2.0", "TASK_FINISHED", true, null, 0, 0, 1, 40)).isEqualTo(failed);
    assertThat(failed.update("unknown", "TASK_FINISHED", true, null, 0, 0, 1, 40)).isEqualTo(failed);
  }

  @Test
  void killCancelsPendingAttemptsAndAKilledRunNeverRetries() {
    Run r = Run.create("j", 3, "manual", 2, 0);
    r = r.launched(r.launchable(0).get(0), "j.3.0.0", "a", "h", 0);
    Run killed = r.kill("killed by user", 5);
    assertThat(killed.status()).isEqualTo(RunStatus.KILLED);
    assertThat(killed.attempts().get(1).state()).isEqualTo(Attempt.CANCELLED);
    assertThat(killed.liveAttempts()).extracting(Attempt::taskId).containsExactly("j.3.0.0");
    Run after = killed.update("j.3.0.0", "TASK_KILLED", true, "killed", null, 5, 1, 6);
    assertThat(after.status()).isEqualTo(RunStatus.KILLED);
    assertThat(after.attempts()).hasSize(2);
    assertThat(after.liveAttempts()).isEmpty();
  }
}
