package dev.terrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.terrace.cli.run.RunSpec;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RunCommandTest {

  private static RunSpec parse(String... args) {
    RunCommand command = new RunCommand();
    new CommandLine(command).parseArgs(args);
    return command.toSpec();
  }

  @Test
  void defaultsApplyWhenNoTerraceVariablesAreSet() {
    assumeTrue(System.getenv().keySet().stream().noneMatch(k -> k.startsWith("TERRACE_")),
        "TERRACE_* variables set in this environment change the defaults");

    RunSpec spec = parse("--", "echo", "hi");

    assertThat(spec.master()).isEqualTo("http://127.0.0.1:5050");
    assertThat(spec.cpus()).isEqualTo(0.1);
    assertThat(spec.memMb()).isEqualTo(32);
    assertThat(spec.name()).isNull();
    assertThat(spec.env()).isEmpty();
    assertThat(spec.launchTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(spec.argv()).containsExactly("echo", "hi");
  }

  @Test
  void optionsAndCommandAfterDoubleDash() {
    RunSpec spec = parse("--master", "zk://zk1:2181/terrace", "--cpus", "2", "--mem", "512",
        "--name", "job", "--env", "A=1", "--env", "OPTS=-Da=1,-Db=2", "--env", "X=1,Y=2",
        "--timeout-seconds", "0", "--", "ls", "--cpus", "-l");

    assertThat(spec.master()).isEqualTo("zk://zk1:2181/terrace");
    assertThat(spec.cpus()).isEqualTo(2);
    assertThat(spec.memMb()).isEqualTo(512);
    assertThat(spec.name()).isEqualTo("job");
    assertThat(spec.env()).isEqualTo(Map.of("A", "1", "OPTS", "-Da=1,-Db=2", "X", "1", "Y", "2"));
    assertThat(spec.launchTimeout()).isZero();
    // Everything after -- belongs to the task, even words that look like our options.
    assertThat(spec.argv()).containsExactly("ls", "--cpus", "-l");
  }

  @Test
  void missingCommandIsAUsageError() {
    int code = new CommandLine(new RunCommand())
        .setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
        .execute("--cpus", "1");

    assertThat(code).isEqualTo(2);
  }

  @Test
  void networkAndPublishedPorts() {
    RunSpec spec = parse("--network", "lan", "-p", "8080", "-p", "31005:53/udp", "--", "httpd");
    assertThat(spec.network()).isEqualTo("lan");
    assertThat(spec.ports()).containsExactly(new dev.terrace.cli.run.PublishedPort(0, 8080, "tcp"),
        new dev.terrace.cli.run.PublishedPort(31005, 53, "udp"));
    assertThat(parse("-p", "80", "--", "x").effectiveNetwork()).isEqualTo("terrace");
    assertThat(parse("--", "x").effectiveNetwork()).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("-p", "1:2:3", "--", "x"))
        .hasMessageContaining("HOST_PORT:CONTAINER_PORT");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("-p", "70000", "--", "x"))
        .hasMessageContaining("not a port");
  }
}
