package dev.terrace.agent.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Environment;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskCommandTest {
  private static final FrameworkId FW = FrameworkId.of("fw-1");
  private static final AgentId AGENT = AgentId.of("agent-1");

  private static TaskInfo task(CommandInfo command) {
    return TaskInfo.command("t", TaskId.of("task-1"), AGENT,
        List.of(Resource.scalar("cpus", 1), Resource.scalar("mem", 64)), command);
  }

  private static CommandInfo withEnv(CommandInfo c, Environment.Variable... vars) {
    return c.withEnvironment(new Environment(List.of(vars)));
  }

  private static Environment.Variable value(String name, String value) {
    return new Environment.Variable(name, Environment.Variable.Type.VALUE, value);
  }

  @Test
  void shellCommandRunsUnderBinSh() {
    assertThat(TaskCommand.argv(CommandInfo.shell("echo $HOME && ls")))
        .containsExactly("/bin/sh", "-c", "echo $HOME && ls");
    // 'shell' absent means shell, as in mesos.proto; arguments are then ignored.
    assertThat(TaskCommand.argv(new CommandInfo(null, null, null, "true", List.of("x"), null)))
        .containsExactly("/bin/sh", "-c", "true");
  }

  @Test
  void argvCommandPutsTheExecutableInArgvZero() {
    CommandInfo c = new CommandInfo(null, null, false, "/usr/bin/python3",
        List.of("python", "-c", "print(1)"), null);
    assertThat(TaskCommand.argv(c)).containsExactly("/usr/bin/python3", "-c", "print(1)");
  }

  @Test
  void argvCommandWithoutArgumentsRunsJustTheExecutable() {
    assertThat(TaskCommand.argv(new CommandInfo(null, null, false, "/bin/date", null, null)))
        .containsExactly("/bin/date");
    assertThat(TaskCommand.argv(CommandInfo.argv(List.of("/bin/echo", "a b", "c"))))
        .containsExactly("/bin/echo", "a b", "c");
  }

  @Test
  void environmentHasMesosVariables() {
    Map<String, String> env = TaskCommand.environment(task(CommandInfo.shell("true")), FW, AGENT);
    assertThat(env)
        .containsEntry("MESOS_SANDBOX", "/mnt/mesos/sandbox")
        .containsEntry("MESOS_TASK_ID", "task-1")
        .containsEntry("MESOS_FRAMEWORK_ID", "fw-1")
        .containsEntry("MESOS_AGENT_ID", "agent-1")
        .containsEntry("MESOS_EXECUTOR_ID", "task-1")
        .containsEntry("HOME", "/mnt/mesos/sandbox")
        .containsKey("PATH");
    assertThat(env.get("PATH")).contains("/usr/bin").contains("/bin");
  }

  @Test
  void taskEnvironmentIsPassedAndOverridesPathAndHome() {
    CommandInfo c = withEnv(CommandInfo.shell("true"), value("PATH", "/opt/bin"),
        value("HOME", "/tmp"), value("GREETING", "hello world"));
    Map<String, String> env = TaskCommand.environment(task(c), FW, AGENT);
    assertThat(env).containsEntry("PATH", "/opt/bin").containsEntry("HOME", "/tmp")
        .containsEntry("GREETING", "hello world");
  }

  @Test
  void taskEnvironmentCannotFakeTheMesosVariables() {
    CommandInfo c = withEnv(CommandInfo.shell("true"), value("MESOS_TASK_ID", "other"),
        value("MESOS_SANDBOX", "/"));
    Map<String, String> env = TaskCommand.environment(task(c), FW, AGENT);
    assertThat(env).containsEntry("MESOS_TASK_ID", "task-1").containsEntry("MESOS_SANDBOX", "/mnt/mesos/sandbox");
  }

  @Test
  void secretVariablesAreNotPassed() {
    CommandInfo c = withEnv(CommandInfo.shell("true"),
        new Environment.Variable("DB_PASSWORD", Environment.Variable.Type.SECRET, "hunter2"),
        value("PLAIN", "yes"));
    Map<String, String> env = TaskCommand.environment(task(c), FW, AGENT);
    assertThat(env).doesNotContainKey("DB_PASSWORD").containsEntry("PLAIN", "yes");
    assertThat(env.values()).doesNotContain("hunter2");
  }

  @Test
  void variablesWithoutNameOrValueAreSkipped() {
    CommandInfo c = withEnv(CommandInfo.shell("true"),
        new Environment.Variable(null, Environment.Variable.Type.VALUE, "x"),
        new Environment.Variable("EMPTY", Environment.Variable.Type.VALUE, null),
        new Environment.Variable("UNTYPED", null, "ok"));
    Map<String, String> env = TaskCommand.environment(task(c), FW, AGENT);
    assertThat(env).doesNotContainKey("EMPTY").containsEntry("UNTYPED", "ok");
    assertThat(env.values()).doesNotContain("x");
  }

  @Test
  void imageTasksWithoutACommandLineUseTheImageEntrypoint() {
    assertThat(TaskCommand.usesImageCommand(null)).isTrue();
    CommandInfo argsOnly = new CommandInfo(null, null, false, null, List.of("a", "b"), null);
    assertThat(TaskCommand.usesImageCommand(argsOnly)).isTrue();
    assertThat(TaskCommand.imageArguments(argsOnly)).containsExactly("a", "b");
    assertThat(TaskCommand.imageArguments(null)).isEmpty();
    assertThat(TaskCommand.usesImageCommand(CommandInfo.shell("echo hi"))).isFalse();
    assertThat(TaskCommand.usesImageCommand(CommandInfo.argv(List.of("/bin/true")))).isFalse();
  }
}
