package dev.terrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.cli.jobs.FrameworkApi;
import dev.terrace.jobs.JobsConfig;
import dev.terrace.jobs.JobsFramework;
import dev.terrace.services.ServicesConfig;
import dev.terrace.services.ServicesFramework;
import dev.terrace.testkit.Containerizers;
import dev.terrace.testkit.HeadlessChromium;
import dev.terrace.testkit.InProcessCluster;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The jobs and services pages in a real headless Chromium, and both frameworks on the master's
 * frameworks list with their {@code webui_url}. Tasks run as host processes (no root needed).
 */
class FrameworkPagesUiTest {

  @Test
  void jobsAndServicesPagesShowWhatRunsAndTheMasterLinksToThem() throws Exception {
    Assumptions.assumeTrue(HeadlessChromium.binary() != null, "chromium is not installed; skipped");
    try (InProcessCluster cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
         JobsFramework jobs = JobsFramework.start(JobsConfig.defaults(cluster.zkUrl(),
             "zk://" + cluster.zooKeeper().connectString() + "/terrace-jobs-ui").withHosts("127.0.0.1", "127.0.0.1")
             .withPort(0));
         ServicesFramework services = ServicesFramework.start(ServicesConfig.defaults(cluster.zkUrl(),
             "zk://" + cluster.zooKeeper().connectString() + "/terrace-services-ui")
             .withHosts("127.0.0.1", "127.0.0.1").withPort(0))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> jobs.isLeader() && services.isLeader());
      FrameworkApi jobsApi = new FrameworkApi(jobs.url());
      jobsApi.put("/v1/jobs/nightly-report", Map.of("command", "echo '<b>report</b>'", "mem", 32));
      jobsApi.post("/v1/jobs/nightly-report/runs");
      FrameworkApi servicesApi = new FrameworkApi(services.url());
      servicesApi.put("/v1/services/web", Map.of("command", "sleep 1000", "instances", 2, "mem", 32));
      await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(
          jobsApi.get("/v1/jobs/nightly-report").path("runs").path(0).path("status").asText()));
      await().atMost(Duration.ofSeconds(30)).until(() -> servicesApi.get("/v1/services/web/endpoints").size() == 2);

      String jobsPage = HeadlessChromium.run("--dump-dom", jobs.url() + "/#job=nightly-report");
      assertThat(jobsPage).contains("Terrace jobs").contains("nightly-report").contains("SUCCEEDED")
          .contains("nightly-report.1.0.0").contains("TASK_FINISHED")
          .contains("echo '&lt;b&gt;report&lt;/b&gt;'").contains(cluster.leader().orElseThrow().url() + "/#task=");
      String servicesPage = HeadlessChromium.run("--dump-dom", services.url() + "/#service=web");
      assertThat(servicesPage).contains("Terrace services").contains("Service web (version 1)")
          .contains("web.1.0").contains("web.1.1").contains("TASK_RUNNING");

      JsonNode state = new FrameworkApi(cluster.leader().orElseThrow().url()).get("/master/state");
      Map<String, String> webui = new java.util.HashMap<>();
      state.path("frameworks").forEach(f -> webui.put(f.path("name").asText(), f.path("webui_url").asText()));
      assertThat(webui).containsEntry("terrace-jobs", jobs.url()).containsEntry("terrace-services", services.url());
    }
  }
}
