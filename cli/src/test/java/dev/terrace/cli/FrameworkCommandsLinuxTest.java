package dev.terrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.cli.jobs.ShellWords;
import dev.terrace.jobs.JobsConfig;
import dev.terrace.jobs.JobsFramework;
import dev.terrace.services.ServicesConfig;
import dev.terrace.services.ServicesFramework;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.InProcessCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code terrace job ...} and {@code terrace service ...} against a real cluster and the frameworks. */
@Tag("linux")
class FrameworkCommandsLinuxTest {

  record Result(int code, String out, String err) {}

  private static synchronized Result terrace(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = new CommandLine(new Terrace()).execute(args);
      return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void submitShowLogsKillAndRemoveAJob() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "real containers need root; skipped");
    Assumptions.assumeTrue(Stream.of("runc", "crun").anyMatch(b -> Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, b)))), "needs runc or crun; skipped");
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.real()).start();
         JobsFramework jobs = JobsFramework.start(JobsConfig.defaults(cluster.zkUrl(),
             "zk://" + cluster.zooKeeper().connectString() + "/terrace-jobs-cli").withHosts("127.0.0.1", "127.0.0.1")
             .withPort(0))) {
      await().atMost(Duration.ofSeconds(30)).until(jobs::isLeader);
      String url = jobs.url();
      Result submit = terrace("job", "submit", "hello", "--jobs", url, "--mem", "32", "--env", "WHO=job",
          "--", "sh", "-c", "echo hi from $WHO run $TERRACE_JOB_RUN");
      assertThat(submit.code()).as(submit.err()).isZero();
      assertThat(submit.out()).contains("job hello: run 1 started");
      await().atMost(Duration.ofSeconds(60)).until(() -> terrace("job", "show", "hello", "--jobs", url).out()
          .contains("SUCCEEDED"));
      Result show = terrace("job", "show", "hello", "--jobs", url);
      assertThat(show.out()).contains("TASK_FINISHED").contains("hello.1.0.0").contains("0.0");
      Result logs = terrace("job", "logs", "hello", "--jobs", url, "--run", "1");
      assertThat(logs.code()).as(logs.err()).isZero();
      assertThat(logs.out()).contains("hi from job run 1");

      assertThat(terrace("job", "submit", "sleeper", "--jobs", url, "--mem", "32", "--", "sleep 300").code()).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> terrace("job", "show", "sleeper", "--jobs", url).out()
          .contains("TASK_RUNNING"));
      assertThat(terrace("job", "ls", "--jobs", url).out()).contains("hello").contains("sleeper");
      assertThat(terrace("job", "kill", "sleeper", "--jobs", url).out()).contains("killed 1 active run(s)");
      await().atMost(Duration.ofSeconds(60)).until(() -> terrace("job", "show", "sleeper", "--jobs", url).out()
          .contains("TASK_KILLED"));
      assertThat(terrace("job", "rm", "sleeper", "--jobs", url).out()).contains("job sleeper removed");
      Result gone = terrace("job", "show", "sleeper", "--jobs", url);
      assertThat(gone.code()).isEqualTo(1);
      assertThat(gone.err()).contains("no job named sleeper (HTTP 404)");

      Result viaJob = terrace("run", "--job", "once", "--jobs", url, "--mem", "32", "--", "sh", "-c",
          "echo via the jobs framework; exit 3");
      assertThat(viaJob.code()).as(viaJob.err()).isEqualTo(3);
      assertThat(viaJob.out()).contains("via the jobs framework");
      assertThat(viaJob.err()).contains("job once run 1 submitted").contains("FAILED");
      assertThat(terrace("job", "show", "once", "--jobs", url).out()).contains("once.1.0.0");

      Result bad = terrace("job", "submit", "bad", "--jobs", url, "--schedule", "61 * * * *", "--", "true");
      assertThat(bad.code()).isEqualTo(1);
      assertThat(bad.err()).contains("bad minute field");
    }
  }

  @Test
  void deployScaleRestartAndRemoveAService() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "real containers need root; skipped");
    Assumptions.assumeTrue(Stream.of("runc", "crun").anyMatch(b -> Stream.of(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, b)))), "needs runc or crun; skipped");
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.real()).start();
         ServicesFramework services = ServicesFramework.start(ServicesConfig.defaults(cluster.zkUrl(),
             "zk://" + cluster.zooKeeper().connectString() + "/terrace-services-cli")
             .withHosts("127.0.0.1", "127.0.0.1").withPort(0))) {
      await().atMost(Duration.ofSeconds(30)).until(services::isLeader);
      String url = services.url();
      Result deploy = terrace("service", "deploy", "echo", "--services", url, "--instances", "2", "--mem", "32",
          "-p", "0", "--health-tcp", "--health-grace", "10", "--", "busybox httpd -f -p $PORT0 -h /tmp");
      assertThat(deploy.code()).as(deploy.err()).isZero();
      assertThat(deploy.out()).contains("service echo version 1");
      await().atMost(Duration.ofSeconds(60)).until(() -> terrace("service", "show", "echo", "--services", url).out()
          .lines().filter(l -> l.startsWith("endpoint 127.0.0.1:")).count() == 2);
      assertThat(terrace("service", "ls", "--services", url).out()).containsPattern("echo\\s+1\\s+2\\s+2\\s+2\\s+no");
      assertThat(terrace("service", "scale", "echo", "1", "--services", url).code()).isZero();
      await().atMost(Duration.ofSeconds(60)).until(() -> terrace("service", "show", "echo", "--services", url).out()
          .lines().filter(l -> l.startsWith("echo.")).count() == 1);
      assertThat(terrace("service", "restart", "echo", "--services", url).out()).contains("version 2");
      await().atMost(Duration.ofSeconds(60)).until(() -> terrace("service", "show", "echo", "--services", url).out()
          .contains("version 2: 1/1 healthy\n"));
      Result rollback = terrace("service", "rollback", "echo", "--services", url);
      assertThat(rollback.out()).contains("version 3");
      assertThat(terrace("service", "rm", "echo", "--services", url).out()).contains("service echo removed");
      assertThat(terrace("service", "show", "echo", "--services", url).err()).contains("no service named echo");
    }
  }

  @Test
  void argumentsAreQuotedForTheShell() {
    assertThat(ShellWords.join(List.of("echo $HOME"))).isEqualTo("echo $HOME");
    assertThat(ShellWords.join(List.of("sh", "-c", "echo 'hi' $X"))).isEqualTo("sh -c 'echo '\"'\"'hi'\"'\"' $X'");
  }
}
