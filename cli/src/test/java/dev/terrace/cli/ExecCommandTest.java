package dev.terrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExecCommandTest {
  @Test
  void parsesTaskIdAndCommandAfterDoubleDash() {
    CommandLine cl = new CommandLine(new Terrace());
    CommandLine.ParseResult r = cl.parseArgs("exec", "--master", "http://m:5050", "t-1", "--",
        "sh", "-c", "echo hi; exit 3");
    ExecCommand exec = (ExecCommand) r.subcommand().commandSpec().userObject();
    assertThat(exec.master).isEqualTo("http://m:5050");
    assertThat(exec.taskId).isEqualTo("t-1");
    assertThat(exec.command).isEqualTo(List.of("sh", "-c", "echo hi; exit 3"));
  }

  @Test
  void zkMasterIsRefusedWith125() {
    int code = new CommandLine(new Terrace()).execute("exec", "--master", "zk://z:2181/terrace",
        "t-1", "--", "true");
    assertThat(code).isEqualTo(125);
  }
}
