package dev.terrace.testkit.hosts;

import dev.terrace.agent.AgentConfig;
import dev.terrace.agent.AgentServer;
import dev.terrace.agent.containerizer.OciContainerizer;
import dev.terrace.agent.containerizer.OciContainerizerConfig;
import dev.terrace.agent.network.NetworkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent of one namespace host, as its own JVM started inside the host's network namespace by
 * {@link AgentProcess} (a JVM thread must never setns, so the whole process lives there). It runs
 * the real OCI containerizer with its default bridge network on {@code --cidr}, listens on the
 * host's address, and writes its port to {@code <work-dir>/agent.port} once it serves.
 *
 * <p>Arguments: {@code --master URL --work-dir DIR --ip ADDRESS --resources TEXT --cidr CIDR}.
 */
public final class AgentHostMain {
  private AgentHostMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path work = Files.createDirectories(Path.of(a.get("work-dir")));
    NetworkSettings network = NetworkSettings.defaults(work)
        .withDefaultNetwork(a.get("cidr"), NetworkSettings.DEFAULT_BRIDGE);
    OciContainerizer containerizer = OciContainerizer.create(
        OciContainerizerConfig.defaults(work).withNetwork(network));
    AgentServer agent = AgentServer.start(new AgentConfig(a.get("master"), a.get("ip"), a.get("ip"),
        0, work, a.get("resources"), "host:" + a.get("ip"), "auto", false), containerizer,
        Duration.ofSeconds(1));
    Runtime.getRuntime().addShutdownHook(new Thread(agent::close, "agent-shutdown"));
    Path tmp = work.resolve("agent.port.tmp");
    Files.writeString(tmp, Integer.toString(agent.port()));
    Files.move(tmp, work.resolve("agent.port"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Thread.currentThread().join();
  }
}
