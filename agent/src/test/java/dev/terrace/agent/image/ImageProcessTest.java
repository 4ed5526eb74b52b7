package dev.terrace.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageProcessTest {
  private static final Map<String, String> DEFAULTS = Map.of("PATH", "/agent/default");
  private static final ImageConfig IMAGE = new ImageConfig(List.of("/entry", "-x"),
      List.of("cmd1", "cmd2"), List.of("PATH=/image/bin", "IMG=1", "SHARED=image"), "/work",
      null, List.of());

  private static Map<String, String> taskEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/agent/default");
    env.put("SHARED", "task");
    env.put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
    return env;
  }

  @Test
  void taskCommandLineIgnoresEntrypointAndCmd() throws Exception {
    ImageProcess p = ImageProcess.merge(List.of("/bin/sh", "-c", "echo hi"), false, taskEnv(),
        DEFAULTS, IMAGE);
    assertThat(p.argv()).containsExactly("/bin/sh", "-c", "echo hi");
  }

  @Test
  void noCommandRunsEntrypointAndCmd() throws Exception {
    ImageProcess p = ImageProcess.merge(List.of(), true, taskEnv(), DEFAULTS, IMAGE);
    assertThat(p.argv()).containsExactly("/entry", "-x", "cmd1", "cmd2");
  }

  @Test
  void argumentsReplaceCmdAfterEntrypoint() throws Exception {
    ImageProcess p = ImageProcess.merge(List.of("a1"), true, taskEnv(), DEFAULTS, IMAGE);
    assertThat(p.argv()).containsExactly("/entry", "-x", "a1");
  }

  @Test
  void imageEnvUnderTaskEnvButOverAgentDefaults() throws Exception {
    ImageProcess p = ImageProcess.merge(List.of("x"), false, taskEnv(), DEFAULTS, IMAGE);
    assertThat(p.env())
        .containsEntry("PATH", "/image/bin")
        .containsEntry("IMG", "1")
        .containsEntry("SHARED", "task")
        .containsEntry("MESOS_SANDBOX", "/mnt/mesos/sandbox");
    Map<String, String> explicit = taskEnv();
    explicit.put("PATH", "/task/path");
    assertThat(ImageProcess.merge(List.of("x"), false, explicit, DEFAULTS, IMAGE).env())
        .containsEntry("PATH", "/task/path");
  }

  @Test
  void workingDirFromImage() throws Exception {
    assertThat(ImageProcess.merge(List.of("x"), false, taskEnv(), DEFAULTS, IMAGE).cwd())
        .isEqualTo("/work");
  }

  @Test
  void nothingToRunIsAClearError() {
    ImageConfig bare = new ImageConfig(List.of(), List.of(), List.of(), null, null, List.of());
    assertThatThrownBy(() -> ImageProcess.merge(List.of(), true, taskEnv(), DEFAULTS, bare))
        .hasMessageContaining("neither Entrypoint nor Cmd");
  }
}
