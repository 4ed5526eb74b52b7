package dev.terrace.spark.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriverTaskTest {
  private static Offer offer(double cpus, double mem) {
    return new Offer(OfferId.of("o1"), null, AgentId.of("a1"), "10.0.0.7", null, null,
        List.of(Resource.scalar("cpus", cpus), Resource.scalar("mem", mem)), null, null, null);
  }

  private static SubmitOptions options(String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("--master", "terrace://m:5050", "--deploy-mode", "cluster",
        "--class", "a.Main", "--driver-memory", "2g"));
    args.addAll(List.of(extra));
    return SubmitOptions.parse(args);
  }

  private static double scalar(TaskInfo task, String name) {
    return task.resources().stream().filter(r -> r.name().equals(name)).mapToDouble(r -> r.scalar().value()).sum();
  }

  private static String classpath(TaskInfo task) {
    List<String> argv = task.command().arguments();
    return argv.get(argv.indexOf("-cp") + 1);
  }

  @Test
  void aLocalJarIsTakenFromItsAbsolutePathOnTheAgentWithTheDriversCoresAndMemory() {
    DriverTask driver = new DriverTask(options("--driver-cores", "2", "/apps/app.jar", "10"), "/jdk", "/t/spark.jar");
    TaskInfo task = driver.build(offer(4, 8192));
    assertThat(task.taskId()).isEqualTo(DriverTask.TASK_ID);
    assertThat(task.agentId()).isEqualTo(AgentId.of("a1"));
    assertThat(task.container()).as("host mode").isNull();
    assertThat(scalar(task, "cpus")).isEqualTo(2.0);
    assertThat(scalar(task, "mem")).isEqualTo(2048 + 384);
    assertThat(task.command().uris()).isEmpty();
    assertThat(task.command().arguments()).startsWith("/jdk/bin/java", "-Xmx2g")
        .contains("-Dspark.master=terrace://m:5050", "-Dspark.submit.deployMode=client",
            "-Dspark.driver.host=10.0.0.7")
        .endsWith("a.Main", "10");
    assertThat(classpath(task)).isEqualTo("/apps/app.jar:/t/spark.jar");
    assertThat(task.command().environment().variables()).isNotEmpty();
  }

  @Test
  void anHttpJarIsFetchedIntoTheSandboxAndHandedToTheExecutorsThroughSparkJars() {
    TaskInfo task = new DriverTask(options("--conf", "spark.driver.host=d", "--conf", "spark.driver.memoryOverhead=100m",
        "--jars", "https://repo/lib.jar", "http://files:8000/x/app.jar#sha256=" + "a".repeat(64)),
        "/jdk", "/t/spark.jar").build(offer(4, 8192));
    assertThat(task.command().uris()).containsExactly(
        new CommandInfo.Uri("http://files:8000/x/app.jar#sha256=" + "a".repeat(64), false, false, false,
            "jars/0-app.jar"),
        new CommandInfo.Uri("https://repo/lib.jar", false, false, false, "jars/1-lib.jar"));
    assertThat(classpath(task)).isEqualTo("jars/0-app.jar:jars/1-lib.jar:/t/spark.jar");
    assertThat(task.command().arguments()).contains("-Dspark.driver.host=d",
        "-Dspark.jars=http://files:8000/x/app.jar,https://repo/lib.jar");
    assertThat(scalar(task, "mem")).isEqualTo(2048 + 100);
  }

  @Test
  void withExecutorsInAnImageLocalJarsGoToSparkJarsToo() {
    TaskInfo task = new DriverTask(options("--conf", "spark.terrace.executor.image=reg/spark:3.5",
        "/apps/app.jar"), "/jdk", "/t/spark.jar").build(offer(4, 8192));
    assertThat(task.command().arguments()).contains("-Dspark.jars=/apps/app.jar");
  }

  @Test
  void anOfferTooSmallForTheDriverDoesNotFitAndBadSizesAreRefused() {
    DriverTask driver = new DriverTask(options("app.jar"), "/jdk", "/t/spark.jar");
    assertThat(driver.fits(offer(1, 2048 + 384))).isTrue();
    assertThat(driver.fits(offer(1, 2048))).isFalse();
    assertThat(driver.fits(offer(0.5, 8192))).isFalse();
    assertThatThrownBy(() -> new DriverTask(options("--driver-cores", "0", "app.jar"), "/jdk", ""))
        .hasMessageContaining("spark.driver.cores must be a number above 0");
    assertThatThrownBy(() -> new DriverTask(options("--conf", "spark.driver.memoryOverhead=lots", "app.jar"), "/jdk", ""))
        .hasMessageContaining("spark.driver.memoryOverhead is not a size");
  }
}
