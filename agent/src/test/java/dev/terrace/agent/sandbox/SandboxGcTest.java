package dev.terrace.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.agent.rootfs.ContainerDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sandbox GC schedule on real directories, with a clock and a disk gauge the test sets. */
class SandboxGcTest {
  private Path work;
  private Path agents;
  private Path meta;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private double diskUsed = 0.5;
  private final SandboxSettings settings = SandboxSettings.defaults().withGc(Duration.ofHours(1), 0.1);

  @BeforeEach
  void dirs() throws Exception {
    work = Files.createTempDirectory("terrace-sandbox-gc");
    agents = work.resolve("agents");
    meta = work.resolve("meta/sandbox-gc");
  }

  @AfterEach
  void clean() throws Exception {
    ContainerDirs.deleteUnlessMounted(work);
  }

  private Clock clock() {
    return new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  private SandboxGc gc() throws Exception {
    return new SandboxGc(meta, agents, settings, () -> diskUsed, clock());
  }

  private Path sandbox(String task, String container) throws Exception {
    Path run = Files.createDirectories(agents.resolve("a1/frameworks/f1/executors").resolve(task)
        .resolve("runs").resolve(container));
    Files.writeString(run.resolve("stdout"), "out of " + task + "\n");
    Path latest = run.getParent().resolve("latest");
    Files.deleteIfExists(latest);
    Files.createSymbolicLink(latest, run.getFileName());
    return run;
  }

  private void advance(Duration d) {
    now.set(now.get().plus(d));
  }

  @Test
  void removesAFinishedSandboxOnlyAfterItsDelayAndKeepsTheScheduleAcrossARestart()
      throws Exception {
    Path done = sandbox("t1", "c1");
    gc().schedule(done);
    advance(Duration.ofMinutes(59));

    SandboxGc restarted = gc(); // a new agent process reads the checkpointed schedule
    assertThat(restarted.collect(Set.of())).isEmpty();
    assertThat(done).exists();
    advance(Duration.ofMinutes(2));

    assertThat(restarted.collect(Set.of())).containsExactly(done.toAbsolutePath());
    assertThat(done).doesNotExist();
    // The task's directory went with its last run; the framework's stays.
    assertThat(done.getParent().getParent()).doesNotExist();
    assertThat(agents.resolve("a1/frameworks/f1/executors")).exists();
    assertThat(gc().schedule()).isEmpty();
  }

  @Test
  void diskPressureRemovesScheduledSandboxesEarlyOldestFirstButNeverAnActiveOne()
      throws Exception {
    SandboxGc gc = gc();
    Path oldest = sandbox("t1", "c1");
    gc.schedule(oldest);
    advance(Duration.ofMinutes(1));
    Path newer = sandbox("t2", "c2");
    gc.schedule(newer);
    Path running = sandbox("t3", "c3");

    diskUsed = 0.95;
    // The gauge reads full until the oldest is gone, then fine.
    SandboxGc pressured = new SandboxGc(meta, agents, settings,
        () -> Files.exists(oldest) ? 0.95 : 0.5, clock());
    assertThat(pressured.collect(Set.of(running))).containsExactly(oldest.toAbsolutePath());
    assertThat(newer).exists();

    // Still full: the newer goes too, the running task's never.
    SandboxGc full = new SandboxGc(meta, agents, settings, () -> 0.99, clock());
    assertThat(full.collect(Set.of(running))).containsExactly(newer.toAbsolutePath());
    assertThat(running).exists();
  }

  @Test
  void adoptsSandboxesNoTaskOwnsAtStart() throws Exception {
    Path leftover = sandbox("t1", "c1");
    Path recovered = sandbox("t2", "c2");

    SandboxGc gc = gc();
    assertThat(gc.adopt(Set.of(recovered))).containsExactly(leftover.toAbsolutePath());

    assertThat(gc.schedule()).containsOnlyKeys(leftover.toAbsolutePath());
    advance(Duration.ofHours(2));
    assertThat(gc.collect(Set.of(recovered))).containsExactly(leftover.toAbsolutePath());
    assertThat(recovered).exists();
  }

  @Test
  void aCheckpointNamingAPathOutsideTheAgentsRootIsNeverFollowed() throws Exception {
    Path outside = Files.createDirectories(work.resolve("precious"));
    Files.createDirectories(meta);
    Files.writeString(meta.resolve("0".repeat(64)), "0 " + outside);

    assertThat(gc().collect(Set.of())).containsExactly(outside.toAbsolutePath());
    assertThat(outside).exists();
    assertThat(gc().schedule()).isEmpty();
  }
}
