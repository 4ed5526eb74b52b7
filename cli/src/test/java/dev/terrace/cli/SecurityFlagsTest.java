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

/** The security flags of {@code terrace master} and {@code terrace agent}, and their refusal to listen openly beyond loopback. */
class SecurityFlagsTest {
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

  @Test
  void anAgentWithExecOpenRefusesToListenBeyondLoopbackUnlessAllowed() throws Exception {
    AgentCommand command = new AgentCommand();
    new CommandLine(command).parseArgs("--master", "http://127.0.0.1:1", "--ip", "0.0.0.0",
        "--work-dir", dir.resolve("agent").toString());
    var config = command.config();
    assertThatThrownBy(() -> dev.terrace.agent.AgentServer.start(config, null, java.time.Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exec into tasks unauthenticated")
        .hasMessageContaining("--allow-open");

    AgentCommand allowed = new AgentCommand();
    new CommandLine(allowed).parseArgs("--master", "http://127.0.0.1:1", "--ip", "0.0.0.0",
        "--work-dir", dir.resolve("agent").toString(), "--allow-open");
    allowed.config().security().checkExposure("0.0.0.0");
    Path creds = Files.writeString(dir.resolve("c.json"),
        "{\"credentials\":[{\"principal\":\"p\",\"secret\":\"s\"}]}");
    AgentCommand locked = new AgentCommand();
    new CommandLine(locked).parseArgs("--master", "http://127.0.0.1:1", "--ip", "0.0.0.0",
        "--work-dir", dir.resolve("agent").toString(), "--credentials", creds.toString(),
        "--authenticate-http-readwrite");
    locked.config().security().checkExposure("0.0.0.0");
  }

  @Test
  void zooKeeperTlsFlagsGoTogether() {
    assertThatThrownBy(() -> parse("--work-dir", dir.toString(), "--zk-tls-cert", "/x.pem", "--zk-tls-key", "/k.pem"))
        .hasMessageContaining("need --zk-tls-ca");
  }
}
