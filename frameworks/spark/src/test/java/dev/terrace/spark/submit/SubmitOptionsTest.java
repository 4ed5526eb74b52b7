package dev.terrace.spark.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubmitOptionsTest {
  @Test
  void sparkSubmitOptionsBecomeSparkConfAndTheRestGoesToTheApplication() {
    SubmitOptions o = SubmitOptions.parse(List.of("--master", "http://m:5050", "--class", "a.Main",
        "--executor-memory", "2g", "--executor-cores", "2", "--total-executor-cores", "8",
        "--conf", "spark.terrace.role=etl", "--jars", "x.jar,y.jar", "app.jar", "--in", "f"));
    assertThat(o.master()).isEqualTo("terrace://m:5050");
    assertThat(o.conf()).containsEntry("spark.executor.memory", "2g").containsEntry("spark.executor.cores", "2")
        .containsEntry("spark.cores.max", "8").containsEntry("spark.terrace.role", "etl");
    assertThat(o.appJar()).isEqualTo("app.jar");
    assertThat(o.appArgs()).containsExactly("--in", "f");

    List<String> argv = SparkSubmit.driverCommand(o, "/jdk", "/t/spark.jar:/t/lib/*");
    assertThat(argv).startsWith("/jdk/bin/java", "-Xmx1g")
        .contains("-Dspark.master=terrace://m:5050", "-Dspark.terrace.role=etl", "-Dspark.app.name=a.Main")
        .endsWith("a.Main", "--in", "f");
    String cp = argv.get(argv.indexOf("-cp") + 1);
    assertThat(cp).startsWith("/").contains("/app.jar:").endsWith(":/t/spark.jar:/t/lib/*");
  }

  @Test
  void clusterModeIsChosenWithDeployModeAndClientIsTheDefault() {
    assertThat(SubmitOptions.parse(List.of("--master", "terrace://h:1", "--class", "M", "a.jar")).clusterMode())
        .isFalse();
    SubmitOptions cluster = SubmitOptions.parse(List.of("--master", "terrace://h:1", "--deploy-mode", "cluster",
        "--driver-cores", "2", "--class", "M", "a.jar"));
    assertThat(cluster.clusterMode()).isTrue();
    assertThat(cluster.conf()).containsEntry("spark.driver.cores", "2");
  }

  @Test
  void executorsInAnImageGetTheApplicationsJarsThroughSparkJars() {
    SubmitOptions o = SubmitOptions.parse(List.of("--master", "terrace://h:1", "--class", "M",
        "--conf", "spark.terrace.executor.image=reg/spark:3.5", "--jars", "/l/x.jar", "/a/app.jar"));
    assertThat(SparkSubmit.driverCommand(o, "/jdk", "/t/spark.jar")).contains("-Dspark.jars=/a/app.jar,/l/x.jar");
    SubmitOptions hostMode = SubmitOptions.parse(List.of("--master", "terrace://h:1", "--class", "M", "/a/app.jar"));
    assertThat(SparkSubmit.driverCommand(hostMode, "/jdk", "/t/spark.jar")).noneMatch(a -> a.startsWith("-Dspark.jars"));
  }

  @Test
  void zooKeeperAndTerraceUrlsAreTakenAsTheyAre() {
    assertThat(SubmitOptions.parse(List.of("--master", "zk://z:2181/terrace", "--class", "M", "a.jar")).master())
        .isEqualTo("terrace://zk://z:2181/terrace");
    assertThat(SubmitOptions.parse(List.of("--master", "terrace://h:1", "--class", "M", "a.jar")).master())
        .isEqualTo("terrace://h:1");
  }

  @Test
  void wrongCommandLinesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> SubmitOptions.parse(List.of("--class", "M", "a.jar"))).hasMessageContaining("--master is required");
    assertThatThrownBy(() -> SubmitOptions.parse(List.of("--master", "yarn", "--class", "M", "a.jar")))
        .hasMessageContaining("not 'yarn'");
    assertThatThrownBy(() -> SubmitOptions.parse(List.of("--master", "terrace://h:1", "a.jar")))
        .hasMessageContaining("--class is required");
    assertThatThrownBy(() -> SubmitOptions.parse(List.of("--master", "terrace://h:1", "--class", "M")))
        .hasMessageContaining("application jar is missing");
    assertThatThrownBy(() -> SubmitOptions.parse(List.of("--master", "terrace://h:1", "--bogus", "1")))
        .hasMessageContaining("unknown option --bogus").hasMessageContaining("usage:");
    assertThatThrownBy(() -> SubmitOptions.parse(List.of("--master", "terrace://h:1", "--deploy-mode", "yarn")))
        .hasMessageContaining("--deploy-mode is client or cluster, not 'yarn'");
    assertThatThrownBy(() -> SubmitOptions.parse(List.of("--conf", "novalue"))).hasMessageContaining("KEY=VALUE");
  }
}
