package dev.terrace.cli.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.json.Json;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Environment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskCommandsTest {

  @Test
  void oneWordIsAShellCommandLine() {
    CommandInfo command = TaskCommands.commandFor(List.of("echo $HOME | wc -c"), Map.of());

    assertThat(command.shell()).isTrue();
    assertThat(command.value()).isEqualTo("echo $HOME | wc -c");
    assertThat(command.arguments()).isEmpty();
    assertThat(Json.toString(command)).isEqualTo("{\"shell\":true,\"value\":\"echo $HOME | wc -c\"}");
  }

  @Test
  void severalWordsAreAnArgvWithoutShell() {
    CommandInfo command = TaskCommands.commandFor(List.of("/bin/echo", "a b", "$HOME"), Map.of());

    assertThat(command.shell()).isFalse();
    assertThat(command.value()).isEqualTo("/bin/echo");
    // Mesos passes `arguments` as the whole argv, argv[0] included.
    assertThat(command.arguments()).containsExactly("/bin/echo", "a b", "$HOME");
  }

  @Test
  void environmentIsPassedAsValuesInNameOrder() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("B", "2");
    env.put("A", "x=y,z");

    CommandInfo command = TaskCommands.commandFor(List.of("env"), env);

    assertThat(command.environment().variables()).containsExactly(
        new Environment.Variable("A", Environment.Variable.Type.VALUE, "x=y,z"),
        new Environment.Variable("B", Environment.Variable.Type.VALUE, "2"));
  }

  @Test
  void noWordsLeaveTheProgramToTheImage() {
    var command = TaskCommands.commandFor(List.of(), Map.of());
    assertThat(command.isShell()).isFalse();
    assertThat(command.value()).isNull();
  }

  @Test
  void defaultNameIsTheProgramsBaseName() {
    assertThat(TaskCommands.defaultName(List.of("/usr/bin/python3", "-c", "1"))).isEqualTo("python3");
    assertThat(TaskCommands.defaultName(List.of("sleep 10 && echo done"))).isEqualTo("sleep");
  }
}
