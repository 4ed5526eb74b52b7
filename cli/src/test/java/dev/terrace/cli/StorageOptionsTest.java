package dev.terrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StorageOptionsTest {
  private static AgentCommand parse(String... args) {
    CommandLine cl = new CommandLine(new Terrace());
    String[] all = new String[args.length + 3];
    all[0] = "agent";
    all[1] = "--master";
    all[2] = "http://m:5050";
    System.arraycopy(args, 0, all, 3, args.length);
    return (AgentCommand) cl.parseArgs(all).subcommand().commandSpec().userObject();
  }

  @Test
  void flagsBecomeImageAndSandboxSettings() {
    AgentCommand agent = parse("--image-dir", "/srv/images", "--image-gc-threshold", "20GiB",
        "--log-max-size", "5MiB", "--log-max-files", "3", "--sandbox-gc-delay", "2d",
        "--sandbox-gc-disk-headroom", "0.2");

    assertThat(agent.storage.imageDir).isEqualTo(Path.of("/srv/images"));
    assertThat(agent.storage.imageGcThreshold).isEqualTo(20L << 30);
    var s = agent.storage.sandboxSettings();
    assertThat(s.logMaxSize()).isEqualTo(5L << 20);
    assertThat(s.logMaxFiles()).isEqualTo(3);
    assertThat(s.gcDelay()).isEqualTo(Duration.ofDays(2));
    assertThat(s.gcDiskHeadroom()).isEqualTo(0.2);
  }

  @Test
  void defaultsKeepTenMebibytesTimesFiveAndAWeek() {
    var s = parse().storage.sandboxSettings();
    assertThat(s.logMaxSize()).isEqualTo(10L << 20);
    assertThat(s.logMaxFiles()).isEqualTo(5);
    assertThat(s.gcDelay()).isEqualTo(Duration.ofDays(7));
    assertThat(parse().storage.imageGcThreshold).isZero();
  }

  @Test
  void badValuesAreUsageErrors() {
    assertThatThrownBy(() -> parse("--log-max-files", "0").storage.sandboxSettings())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--log-max-files at least 1");
    assertThatThrownBy(() -> parse("--image-gc-threshold", "lots"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("invalid size");
    assertThatThrownBy(() -> parse("--sandbox-gc-delay", "soon"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("not a duration");
  }
}
