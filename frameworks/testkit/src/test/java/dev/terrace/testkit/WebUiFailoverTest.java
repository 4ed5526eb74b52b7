package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The web UI follows the leader: with the page open on the leading master, that master stops;
 * the page shows its "reconnecting" banner, and once its address answers again (a master
 * restarted there, now a standby) the page moves to the new leader through
 * {@code /master/redirect}, keeping its route, and is live again with the new leader's snapshot.
 */
class WebUiFailoverTest {
  private InProcessCluster cluster;
  private MasterServer restarted;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(Browser.available(),
        "chromium/chromedriver are not installed (scripts/install-test-deps.sh installs them)");
    cluster = InProcessCluster.builder().masters(2).agents(1)
        .containerizer(Containerizers.hostProcesses()).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (restarted != null) {
      restarted.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void pageShowsReconnectingAndMovesToTheNewLeader() throws Exception {
    MasterServer first = cluster.awaitLeader();
    MasterServer second = cluster.masters().stream().filter(m -> m != first).findFirst().orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.agents().get(0).agent().agentId() != null);
    String agentId = cluster.agents().get(0).agent().agentId().value();
    browser = Browser.open("failover");
    browser.go(first.url() + "/#/agents");
    browser.waitForText(By.id("agents"), agentId);
    browser.screenshot("before");

    first.close();
    browser.until(() -> "reconnecting".equals(browser.find(By.tagName("body")).getAttribute("data-connection")));
    assertThat(browser.find(By.id("banner")).getText()).contains("Reconnecting");
    browser.screenshot("reconnecting");

    await().atMost(Duration.ofSeconds(60)).until(second::isLeader);
    // A master comes back at the old address, as a standby: it sends the page to the leader.
    int port = URI.create(first.url()).getPort();
    restarted = MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1").bindHost("127.0.0.1")
        .port(port).workDir(Files.createTempDirectory(cluster.workDir(), "restarted-"))
        .zkUrl(cluster.zkUrl()).build());
    String leaderPort = ":" + URI.create(second.url()).getPort() + "/";
    browser.until(() -> browser.driver().getCurrentUrl().contains(leaderPort) ? true : null);
    assertThat(browser.driver().getCurrentUrl()).endsWith("#/agents");
    browser.until(() -> "live".equals(browser.find(By.tagName("body")).getAttribute("data-connection")));
    browser.waitForText(By.id("agents"), agentId);
    assertThat(browser.find(By.id("banner")).isDisplayed()).isFalse();
    browser.screenshot("after");
  }
}
