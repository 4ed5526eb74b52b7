package dev.terrace.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.terrace.common.model.AgentId;
import dev.terrace.common.model.ContainerInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.OfferId;
import dev.terrace.common.model.Resource;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.spark.executor.ExecutorSettings;
import dev.terrace.spark.executor.ExecutorTasks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorTasksTest {
  private static final Offer OFFER = new Offer(OfferId.of("o"), null, AgentId.of("a"), "10.0.0.8", null, null,
      List.of(Resource.scalar("cpus", 4), Resource.scalar("mem", 8192)), null, null, null);

  private static List<TaskInfo> build(Map<String, String> conf) {
    ExecutorSettings settings = ExecutorSettings.from(k -> Optional.ofNullable(conf.get(k)));
    return new ExecutorTasks(settings, "app").build(OFFER, List.of("0", "1"), "spark://d:1", "fw-1");
  }

  @Test
  void withoutAnImageExecutorsRunInHostMode() {
    assertThat(build(Map.of())).hasSize(2).allSatisfy(t -> {
      assertThat(t.container()).isNull();
      assertThat(t.labels().labels()).singleElement()
          .satisfies(l -> assertThat(l.key()).isEqualTo(ExecutorTasks.EXECUTOR_ID_LABEL));
    });
  }

  @Test
  void anExecutorImageMakesEveryExecutorAnImageTaskWithTheSameCommand() {
    List<TaskInfo> tasks = build(Map.of("spark.terrace.executor.image", "127.0.0.1:5000/library/spark-jre:3.5",
        "spark.terrace.executor.javaHome", "/opt/java", "spark.terrace.executor.classpath", "/opt/spark/jars/*"));
    assertThat(tasks).hasSize(2).allSatisfy(t -> {
      ContainerInfo c = t.container();
      assertThat(c.type()).isEqualTo(ContainerInfo.Type.MESOS);
      assertThat(c.imageName()).isEqualTo("127.0.0.1:5000/library/spark-jre:3.5");
      List<String> argv = t.command().arguments();
      assertThat(argv.get(0)).isEqualTo("/opt/java/bin/java");
      assertThat(argv.get(argv.indexOf("-cp") + 1)).isEqualTo("/opt/spark/jars/*");
      assertThat(argv).contains("org.apache.spark.executor.CoarseGrainedExecutorBackend", "spark://d:1");
    });
    assertThat(tasks).extracting(t -> t.taskId().value()).containsExactly("spark-executor-0", "spark-executor-1");
  }

  @Test
  void anImageWithoutTheJvmAndClasspathInsideItIsRefused() {
    assertThatThrownBy(() -> build(Map.of("spark.terrace.executor.image", "busybox",
        "spark.terrace.executor.javaHome", "/opt/java")))
        .hasMessageContaining("spark.terrace.executor.image needs spark.terrace.executor.javaHome and"
            + " spark.terrace.executor.classpath");
  }
}
