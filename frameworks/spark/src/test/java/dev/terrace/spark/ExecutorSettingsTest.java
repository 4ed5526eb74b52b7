package dev.terrace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.spark.executor.ExecutorCommand;
import dev.terrace.spark.executor.ExecutorSettings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorSettingsTest {
  private static ExecutorSettings settings(Map<String, String> conf) {
    return ExecutorSettings.from(k -> Optional.ofNullable(conf.get(k)));
  }

  @Test
  void defaultsAreOneCoreOneGigabytePlusOverheadAndNoLimit() {
    ExecutorSettings s = settings(Map.of());
    assertThat(s.cores()).isEqualTo(1);
    assertThat(s.heapMb()).isEqualTo(1024);
    assertThat(s.taskMemMb()).isEqualTo(1024 + 384);
    assertThat(s.coresMax()).isEqualTo(ExecutorSettings.UNLIMITED);
    assertThat(s.initialTarget()).isEqualTo(ExecutorSettings.UNLIMITED);
    assertThat(s.role()).isEqualTo("*");
    assertThat(s.maxAgentFailures()).isEqualTo(2);
    assertThat(s.javaHome()).isEqualTo(System.getProperty("java.home"));
  }

  @Test
  void overheadIsAFactorOfTheHeapAboveItsMinimumOrGivenOutright() {
    assertThat(settings(Map.of("spark.executor.memory", "8g")).overheadMb()).isEqualTo(819);
    assertThat(settings(Map.of("spark.executor.memory", "8g", "spark.executor.memoryOverheadFactor", "0.2"))
        .overheadMb()).isEqualTo(1638);
    assertThat(settings(Map.of("spark.executor.memoryOverhead", "100m")).overheadMb()).isEqualTo(100);
  }

  @Test
  void instancesOrDynamicAllocationSetTheInitialTarget() {
    assertThat(settings(Map.of("spark.executor.instances", "3")).initialTarget()).isEqualTo(3);
    assertThat(settings(Map.of("spark.dynamicAllocation.enabled", "true",
        "spark.dynamicAllocation.minExecutors", "2", "spark.dynamicAllocation.initialExecutors", "4"))
        .initialTarget()).isEqualTo(4);
    assertThat(settings(Map.of("spark.dynamicAllocation.enabled", "true")).initialTarget()).isZero();
  }

  @Test
  void badValuesAreRefusedWithTheirKey() {
    assertThatThrownBy(() -> settings(Map.of("spark.executor.cores", "two")))
        .hasMessageContaining("spark.executor.cores").hasMessageContaining("'two'");
    assertThatThrownBy(() -> settings(Map.of("spark.executor.memory", "lots")))
        .hasMessageContaining("spark.executor.memory");
    assertThatThrownBy(() -> settings(Map.of("spark.executor.cores", "4", "spark.cores.max", "2")))
        .hasMessageContaining("spark.cores.max (2) is below spark.executor.cores (4)");
    assertThatThrownBy(() -> settings(Map.of("spark.terrace.constraints", ":x")))
        .hasMessageContaining("invalid constraint");
  }

  @Test
  void theCommandRunsTheExecutorBackendWithTheDriversClasspathAndOptions() {
    ExecutorSettings s = settings(Map.of("spark.executor.memory", "512m", "spark.executor.cores", "2",
        "spark.terrace.executor.classpath", "/opt/app/*", "spark.executor.extraClassPath", "/extra.jar",
        "spark.executor.extraJavaOptions", " -Dfoo=1   -XX:+UseG1GC "));
    assertThat(ExecutorCommand.argv(s, "spark://CoarseGrainedScheduler@h:1", "app-1", "7", "agent-host"))
        .startsWith(s.javaHome() + "/bin/java", "-Xmx512m")
        .containsSubsequence("-Dfoo=1", "-XX:+UseG1GC", "-cp", "/extra.jar:/opt/app/*",
            "org.apache.spark.executor.CoarseGrainedExecutorBackend")
        .containsSubsequence("--driver-url", "spark://CoarseGrainedScheduler@h:1", "--executor-id", "7",
            "--hostname", "agent-host", "--cores", "2", "--app-id", "app-1", "--resourceProfileId", "0")
        .contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "-Dspark.shuffle.readHostLocalDisk=false");
  }
}
