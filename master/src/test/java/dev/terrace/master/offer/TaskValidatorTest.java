package dev.terrace.master.offer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.ExecutorId;
import dev.terrace.common.model.ExecutorInfo;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.Value;
import dev.terrace.common.resources.ResourceParser;
import dev.terrace.common.resources.Resources;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskValidatorTest {
  private static final AgentId AGENT = AgentId.of("agent-1");
  private static final Resources OFFER =
      Resources.of(ResourceParser.parseResources("cpus:2;mem:1024;ports:[31000-31010]"));
  private static final List<Resource> SMALL = ResourceParser.parseResources("cpus:0.5;mem:128");
  private static final Predicate<String> NONE_IN_USE = id -> false;

  private static TaskInfo task(String id, List<Resource> resources, CommandInfo command) {
    return TaskInfo.command("t", id == null ? null : TaskId.of(id), AGENT, resources, command);
  }

  private static TaskInfo valid() {
    return task("task-1", SMALL, CommandInfo.shell("echo hi"));
  }

  private static Optional<String> validate(TaskInfo t) {
    return TaskValidator.validate(t, AGENT, OFFER, NONE_IN_USE);
  }

  @Test
  void acceptsAValidShellTask() {
    assertThat(validate(valid())).isEmpty();
  }

  @Test
  void acceptsAValidArgvTaskWithPorts() {
    TaskInfo t = task("task-2", ResourceParser.parseResources("cpus:2;mem:1024;ports:[31005-31006]"),
        CommandInfo.argv(List.of("/bin/echo", "hi")));
    assertThat(validate(t)).isEmpty();
  }

  @Test
  void refusesATaskWithoutId() {
    assertThat(validate(task(null, SMALL, CommandInfo.shell("true"))))
        .hasValue("Task has no task_id");
    assertThat(validate(task("", SMALL, CommandInfo.shell("true"))))
        .hasValue("Task has no task_id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "a b", "tab\there", "line\nbreak", ".", ".."})
  void refusesIdsWithBadCharacters(String id) {
    assertThat(validate(task(id, SMALL, CommandInfo.shell("true")))).get().asString()
        .contains("may not contain '/' or whitespace");
  }

  @Test
  void idsWithDotsInsideAreFine() {
    assertThat(validate(task("web.1..2", SMALL, CommandInfo.shell("true")))).isEmpty();
  }

  @Test
  void refusesADuplicateId() {
    Optional<String> r = TaskValidator.validate(valid(), AGENT, OFFER, Set.of("task-1")::contains);
    assertThat(r).hasValue("Task has duplicate ID: task-1");
  }

  @Test
  void refusesATaskWithoutName() {
    TaskInfo t = TaskInfo.command(null, TaskId.of("task-1"), AGENT, SMALL, CommandInfo.shell("true"));
    assertThat(validate(t)).get().asString().contains("has no name");
  }

  @Test
  void refusesATaskForAnotherAgentOrNoAgent() {
    TaskInfo other = TaskInfo.command("t", TaskId.of("task-1"), AgentId.of("agent-2"), SMALL,
        CommandInfo.shell("true"));
    assertThat(validate(other)).get().asString()
        .contains("agent-2").contains("offers are for agent agent-1");
    TaskInfo none = TaskInfo.command("t", TaskId.of("task-1"), null, SMALL, CommandInfo.shell("true"));
    assertThat(validate(none)).get().asString().contains("offers are for agent agent-1");
  }

  private static ExecutorInfo executor() {
    return new ExecutorInfo(ExecutorInfo.Type.CUSTOM, ExecutorId.of("e"), null,
        CommandInfo.shell("./executor"), null, null, null, null);
  }

  @Test
  void refusesBothOrNeitherCommandAndExecutor() {
    TaskInfo neither = task("task-1", SMALL, null);
    assertThat(validate(neither)).get().asString()
        .contains("needs exactly one of 'command' or 'executor'");
    TaskInfo both = new TaskInfo("t", TaskId.of("task-1"), AGENT, SMALL, executor(),
        CommandInfo.shell("true"), null, null, null, null, null, null);
    assertThat(validate(both)).get().asString()
        .contains("needs exactly one of 'command' or 'executor'");
  }

  @Test
  void acceptsACustomExecutorWithACommandAndRefusesOneWithout() {
    TaskInfo t = new TaskInfo("t", TaskId.of("task-1"), AGENT, SMALL, executor(), null, null, null,
        null, null, null, null);
    assertThat(validate(t)).isEmpty();
    TaskInfo noCommand = t.withExecutor(dev.terrace.common.model.ExecutorInfo.custom(
        dev.terrace.common.model.ExecutorId.of("e"), null, java.util.List.of()));
    assertThat(validate(noCommand)).get().asString().contains("executor without a command");
    TaskInfo noId = t.withExecutor(dev.terrace.common.model.ExecutorInfo.custom(null, CommandInfo.shell("x"),
        java.util.List.of()));
    assertThat(validate(noId)).get().asString().contains("without 'executor_id'");
  }

  @Test
  void refusesAShellCommandWithoutValue() {
    assertThat(validate(task("task-1", SMALL, CommandInfo.shell(null)))).get().asString()
        .contains("shell command without 'value'");
    assertThat(validate(task("task-1", SMALL, CommandInfo.shell("")))).get().asString()
        .contains("shell command without 'value'");
    // shell absent means shell, as in mesos.proto
    CommandInfo absentShell = new CommandInfo(null, null, null, null, null, null);
    assertThat(validate(task("task-1", SMALL, absentShell))).get().asString()
        .contains("shell command without 'value'");
  }

  @Test
  void refusesANonShellCommandWithoutExecutable() {
    CommandInfo argv = new CommandInfo(null, null, false, null, List.of("x"), null);
    assertThat(validate(task("task-1", SMALL, argv))).get().asString()
        .contains("non-shell command without 'value'");
  }

  @Test
  void refusesNegativeOrInvalidResources() {
    List<Resource> negative = List.of(Resource.scalar("cpus", -1), Resource.scalar("mem", 128));
    assertThat(validate(task("task-1", negative, CommandInfo.shell("true")))).get().asString()
        .contains("has invalid resources").contains("cpus");

    List<Resource> nan = List.of(Resource.scalar("cpus", Double.NaN), Resource.scalar("mem", 128));
    assertThat(validate(task("task-1", nan, CommandInfo.shell("true")))).get().asString()
        .contains("has invalid resources");

    List<Resource> infinite = List.of(Resource.scalar("cpus", 1),
        Resource.scalar("mem", Double.POSITIVE_INFINITY));
    assertThat(validate(task("task-1", infinite, CommandInfo.shell("true")))).get().asString()
        .contains("has invalid resources");

    List<Resource> negativePort = List.of(Resource.scalar("cpus", 1), Resource.scalar("mem", 128),
        Resource.ranges("ports", List.of(new Value.Range(-5, 10))));
    assertThat(validate(task("task-1", negativePort, CommandInfo.shell("true")))).get().asString()
        .contains("has invalid resources");
  }

  @Test
  void refusesTasksWithoutCpusOrMem() {
    assertThat(validate(task("task-1", ResourceParser.parseResources("mem:128"),
        CommandInfo.shell("true")))).get().asString().contains("must use some 'cpus' and 'mem'");
    assertThat(validate(task("task-1", ResourceParser.parseResources("cpus:1"),
        CommandInfo.shell("true")))).get().asString().contains("must use some 'cpus' and 'mem'");
    assertThat(validate(task("task-1", ResourceParser.parseResources("cpus:0;mem:0"),
        CommandInfo.shell("true")))).get().asString().contains("must use some 'cpus' and 'mem'");
    assertThat(validate(task("task-1", List.of(), CommandInfo.shell("true")))).get().asString()
        .contains("must use some 'cpus' and 'mem'");
  }

  @Test
  void refusesResourcesThatAreNotInTheOffer() {
    assertThat(validate(task("task-1", ResourceParser.parseResources("cpus:3;mem:128"),
        CommandInfo.shell("true")))).get().asString().contains("not in the offered resources");
    assertThat(validate(task("task-1",
        ResourceParser.parseResources("cpus:1;mem:128;ports:[30000-30000]"),
        CommandInfo.shell("true")))).get().asString().contains("not in the offered resources");
    assertThat(validate(task("task-1", ResourceParser.parseResources("cpus:1;mem:128;gpus:1"),
        CommandInfo.shell("true")))).get().asString().contains("not in the offered resources");
    // Reserved resources are a different kind than the unreserved ones offered.
    assertThat(validate(task("task-1", ResourceParser.parseResources("cpus(a):1;mem:128"),
        CommandInfo.shell("true")))).get().asString().contains("not in the offered resources");
  }

  @Test
  void offeredResourcesEchoedBackWithAllocationInfoAreAccepted() {
    List<Resource> echoed = OFFER.toList("*");
    assertThat(validate(task("task-1", echoed, CommandInfo.shell("true")))).isEmpty();
  }

  @Test
  void checksAreOrderedIdBeforeEverythingElse() {
    // No id and no command, wrong agent: the id problem is reported.
    TaskInfo t = TaskInfo.command(null, null, AgentId.of("x"), List.of(), null);
    assertThat(validate(t)).hasValue("Task has no task_id");
  }
}
