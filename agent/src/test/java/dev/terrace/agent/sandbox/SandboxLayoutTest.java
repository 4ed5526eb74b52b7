package dev.terrace.agent.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SandboxLayoutTest {
  private final SandboxLayout layout = new SandboxLayout(Path.of("/var/lib/terrace"));
  private static final AgentId A = AgentId.of("agent-1");
  private static final FrameworkId F = FrameworkId.of("fw-1");
  private static final TaskId T = TaskId.of("task-1");

  @Test
  void mesosLayout() {
    assertThat(layout.agentsRoot()).isEqualTo(Path.of("/var/lib/terrace/agents"));
    assertThat(layout.sandbox(A, F, T, "c-1")).isEqualTo(Path.of(
        "/var/lib/terrace/agents/agent-1/frameworks/fw-1/executors/task-1/runs/c-1"));
    assertThat(layout.statusUpdatesDir()).isEqualTo(Path.of("/var/lib/terrace/meta/status-updates"));
    assertThat(layout.agentIdFile()).isEqualTo(Path.of("/var/lib/terrace/meta/agent-id"));
  }

  @Test
  void workDirIsNormalizedAndAbsolute() {
    SandboxLayout relative = new SandboxLayout(Path.of("work/../work/./dir"));
    assertThat(relative.workDir()).isAbsolute().isEqualTo(Path.of("work/dir").toAbsolutePath());
  }

  @Test
  void idsWithDotsOrDashesInsideAreFine() {
    assertThat(layout.sandbox(A, F, TaskId.of("web.1..x"), "..c")).endsWithRaw(
        Path.of("executors/web.1..x/runs/..c"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a/b", "/abs", "../up", "a/../../b", "nul\0byte"})
  void idsThatCouldNameAnotherDirectoryAreRefused(String bad) {
    assertThatThrownBy(() -> layout.sandbox(AgentId.of(bad), F, T, "c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> layout.sandbox(A, FrameworkId.of(bad), T, "c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> layout.executorDir(A, F, TaskId.of(bad)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> layout.sandbox(A, F, T, bad))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot name a directory");
  }
}
