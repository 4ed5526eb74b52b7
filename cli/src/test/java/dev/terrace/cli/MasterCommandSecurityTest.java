package dev.terrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.security.authn.Realm;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code terrace master}'s security flags, and its refusal to listen openly beyond loopback. */
class MasterCommandSecurityTest {
  @TempDir
  Path dir;

  private MasterConfig parse(String... args) throws Exception {
    MasterCommand command = new MasterCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void withoutFlagsAMasterOnAllInterfacesRefusesToStart() throws Exception {
    MasterConfig config = parse("--ip", "0.0.0.0", "--port", "0", "--work-dir", dir.toString());
    assertThatThrownBy(() -> MasterServer.start(config)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("--allow-open");
    try (MasterServer m = MasterServer.start(parse("--ip", "0.0.0.0", "--port", "0",
        "--work-dir", dir.toString(), "--allow-open"))) {
      assertThat(m.port()).isPositive();
    }
  }

  @Test
  void authenticationFlagsNeedCredentialsAndTurnRealmsOn() throws Exception {
    assertThatThrownBy(() -> parse("--authenticate-frameworks", "--work-dir", dir.toString()))
        .hasMessageContaining("--credentials");
    Path creds = Files.writeString(dir.resolve("c.json"),
        "{\"credentials\":[{\"principal\":\"p\",\"secret\":\"s\"}]}");
    MasterConfig config = parse("--work-dir", dir.toString(), "--credentials", creds.toString(),
        "--authenticate-frameworks", "--authenticate-agents", "--authenticate-http-readwrite");
    assertThat(config.security().authentication().required())
        .containsExactlyInAnyOrder(Realm.FRAMEWORK, Realm.AGENT, Realm.READWRITE);
    Path badAcls = Files.writeString(dir.resolve("acls.json"), "{\"run_task\": []}");
    assertThatThrownBy(() -> parse("--work-dir", dir.toString(), "--acls", badAcls.toString()))
        .hasMessageContaining("unknown ACL 'run_task'");
  }
}
