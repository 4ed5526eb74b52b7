package dev.terrace.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.terrace.testkit.hosts.MultiHostCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code terrace run -p 8080} against a real agent on a namespace host: a free host port of the
 * offer is taken and printed, the task runs on the {@code terrace} bridge network with that port
 * forwarded and in its {@code PORT0}, and {@code /master/state} shows the mapping.
 */
@Tag("linux")
class RunNetworkLinuxTest {

  @Test
  void publishedPortIsTakenFromTheOfferPrintedAndMapped() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")), "needs CNI plugins");
    Assumptions.assumeTrue(Stream.of("conmon", "runc").allMatch(b -> Stream.of(
        System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, b)))),
        "needs conmon and runc");
    try (MultiHostCluster cluster = MultiHostCluster.start(1,
        "cpus:1;mem:512;disk:1024;ports:[31000-31010]", b -> b)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      RunSpec spec = new RunSpec(cluster.masterUrl(), 0.1, 32, "published", Map.of(),
          Duration.ofSeconds(60), List.of("echo port=$PORT0; cat /etc/hostname"), null, null,
          List.of(PublishedPort.parse("8080")));
      int code = new TaskRunner(spec, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8)).run();

      String stderr = err.toString(StandardCharsets.UTF_8);
      assertThat(code).as(stderr).isZero();
      Matcher m = Pattern.compile(":(\\d+) -> container port 8080/tcp on network terrace")
          .matcher(stderr);
      assertThat(m.find()).as(stderr).isTrue();
      String hostPort = m.group(1);
      assertThat(Integer.parseInt(hostPort)).isBetween(31000, 31010);
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("port=" + hostPort);
      String state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(cluster.masterUrl() + "/master/state")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(state).contains("\"host_port\":" + hostPort).contains("\"container_port\":8080");
    }
  }
}
