package dev.terrace.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.common.model.Offer;
import dev.terrace.common.model.TaskId;
import dev.terrace.common.model.TaskInfo;
import dev.terrace.common.model.TaskState;
import dev.terrace.sdk.SchedulerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The master's web UI in a real headless Chromium against a live cluster (host-process
 * containers): every page loads and shows the cluster; an operator clicks agent → task → sandbox
 * → stdout and sees a line the task prints after the page is open; a task launched while a page
 * is open appears without a reload. Screenshots go to {@code target/webui-screenshots/}. Skipped
 * when chromium or chromedriver is missing ({@code scripts/install-test-deps.sh} installs both).
 */
class WebUiTest {
  private static final String MARKER = "hello-from-the-web-ui-test";
  private InProcessCluster cluster;
  private RecordingScheduler scheduler;
  private SchedulerClient client;
  private Browser browser;
  private Path trigger;
  private final java.util.Set<dev.terrace.common.model.OfferId> used = new java.util.HashSet<>();

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(Browser.available(),
        "chromium/chromedriver are not installed (scripts/install-test-deps.sh installs them)");
    cluster = InProcessCluster.builder().containerizer(Containerizers.hostProcesses()).start();
    scheduler = new RecordingScheduler();
    client = SchedulerClient.builder(cluster.zkUrl(), FrameworkInfo.of("tester", "ui-test-framework"),
        scheduler).build().start();
    await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.latestOffer().isPresent());
    trigger = Files.createTempDirectory("terrace-ui-trigger-");
  }

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (trigger != null) {
      Files.deleteIfExists(trigger.resolve("go"));
      Files.deleteIfExists(trigger);
    }
  }

  @Test
  void everyPageShowsTheLiveCluster() throws Exception {
    // A task with a web UI of its own (as a notebook server has) gets a link on its page.
    TaskId id = launch("ui-task", "echo started; sleep 120", new dev.terrace.common.model.Labels(List.of(
        new dev.terrace.common.model.Label("terrace.ui.link", "http://127.0.0.1:1/ui-of-the-task"))));
    String fwId = scheduler.subscriptions.get(0).value();
    String agentId = cluster.agents().get(0).agent().agentId().value();
    String base = cluster.leader().orElseThrow().url();
    browser = Browser.open("pages");

    browser.go(base + "/");
    browser.waitForPaint("overview");
    browser.waitForText(By.id("task-counts"), "running");
    browser.waitForText(By.id("agent-counts"), "active");
    browser.waitForText(By.id("resources"), "cpus");
    browser.find(By.cssSelector(".chart canvas"));
    assertThat(browser.find(By.id("banner")).isDisplayed()).isFalse();
    browser.screenshot("overview");

    browser.go(base + "/#/agents");
    browser.waitForText(By.id("agents"), agentId);
    browser.screenshot("agents");
    browser.go(base + "/#/agents/" + agentId);
    browser.waitForText(By.id("agent-tasks"), id.value());
    browser.waitForText(By.tagName("main"), "allocated");
    // Live usage read from the agent's /monitor/statistics through the master.
    browser.waitForText(By.id("agent-usage"), "running tasks reported");
    browser.waitForText(By.id("agent-usage"), "1 (");
    browser.screenshot("agent");

    browser.go(base + "/#/frameworks");
    browser.waitForText(By.id("frameworks"), "ui-test-framework");
    browser.screenshot("frameworks");
    browser.go(base + "/#/frameworks/" + fwId);
    // The allocator's explanation of this framework's offers, fetched by the page.
    browser.waitForText(By.id("explain"), "offerable");
    browser.waitForText(By.id("framework-tasks"), id.value());
    browser.screenshot("framework");

    browser.go(base + "/#/tasks?state=TASK_RUNNING");
    browser.waitForText(By.id("tasks"), id.value());
    browser.screenshot("tasks");
    browser.go(base + "/#/tasks/" + fwId + "/" + id.value());
    browser.waitForText(By.id("status-history"), "TASK_RUNNING");
    assertThat(browser.find(By.id("task-ui-link")).getAttribute("href")).isEqualTo("http://127.0.0.1:1/ui-of-the-task");
    browser.screenshot("task");

    browser.go(base + "/#/offers");
    browser.waitForText(By.tagName("main"), "outstanding, as of");
    browser.screenshot("offers");

    browser.go(base + "/#/roles");
    browser.waitForText(By.id("roles"), "*");
    browser.screenshot("roles");
    browser.go(base + "/#/maintenance");
    browser.waitForText(By.id("maintenance-schedule"), "no maintenance scheduled");
    browser.screenshot("maintenance");

    assertThat(browser.console()).noneMatch(l -> l.contains("SEVERE"));
  }

  @Test
  void clickingThroughToATaskLogFollowsWhatTheTaskPrintsLater() throws Exception {
    // The marker comes once the test says so (after the log is open), inside a tag-like string:
    // the page must show it as text, not markup.
    TaskId id = launch("ui-log", "echo started; while [ ! -e " + trigger.resolve("go")
        + " ]; do sleep 0.1; done; echo '<b>" + MARKER + "</b>'; sleep 120");
    String base = cluster.leader().orElseThrow().url();
    browser = Browser.open("log");
    browser.go(base + "/");
    browser.waitForPaint("overview");

    browser.clickLink("Agents");
    String agentId = cluster.agents().get(0).agent().agentId().value();
    browser.clickLink(agentId);
    browser.waitForText(By.id("agent-tasks"), id.value());
    browser.clickLink(id.value());
    browser.waitForText(By.id("status-history"), "TASK_RUNNING");
    browser.find(By.id("sandbox-link")).click();
    browser.waitForText(By.id("sandbox-files"), "stdout");
    browser.clickLink("stdout");
    browser.waitForText(By.id("file-view"), "started");
    assertThat(browser.find(By.id("file-view")).getText()).doesNotContain(MARKER);
    browser.screenshot("tail-before");

    Files.createFile(trigger.resolve("go"));
    browser.waitForText(By.id("file-view"), "<b>" + MARKER + "</b>");
    assertThat(browser.driver().findElements(By.cssSelector("#file-view b"))).isEmpty();
    browser.screenshot("tail-after");
  }

  @Test
  void aTaskLaunchedWhileThePageIsOpenAppearsWithoutAReload() throws Exception {
    TaskId first = launch("ui-first", "sleep 120");
    String base = cluster.leader().orElseThrow().url();
    browser = Browser.open("live");
    browser.go(base + "/#/tasks");
    browser.waitForText(By.id("tasks"), first.value());
    // Survives only as long as the page is not reloaded.
    browser.script("window.notReloaded = true;");

    TaskId second = launch("ui-second", "sleep 120");
    browser.waitForText(By.id("tasks"), second.value());
    browser.until(() -> browser.driver().findElement(By.id("tasks")).getText()
        .matches("(?s).*" + second.value() + ".*TASK_RUNNING.*") ? true : null);
    assertThat(browser.script("return window.notReloaded === true;")).isEqualTo(true);
    browser.screenshot("new-task");
  }

  /** Launches a shell task on an offer not used yet (reviving for one) and waits until it runs. */
  private TaskId launch(String prefix, String command) {
    return launch(prefix, command, null);
  }

  private TaskId launch(String prefix, String command, dev.terrace.common.model.Labels labels) {
    if (!used.isEmpty()) {
      client.revive().join();
    }
    Offer offer = await().atMost(Duration.ofSeconds(30)).until(this::unusedOffer, java.util.Optional::isPresent)
        .orElseThrow();
    used.add(offer.id());
    TaskId id = Tasks.newId(prefix);
    TaskInfo task = Tasks.shell(id, offer, 0.1, 32, command);
    client.launch(offer, List.of(labels == null ? task : task.withLabels(labels))).join();
    await().atMost(Duration.ofSeconds(20)).until(() -> scheduler.states(id).contains(TaskState.TASK_RUNNING));
    return id;
  }

  private java.util.Optional<Offer> unusedOffer() {
    for (int i = scheduler.offers.size() - 1; i >= 0; i--) {
      Offer o = scheduler.offers.get(i);
      if (!used.contains(o.id()) && !scheduler.rescinded.contains(o.id())) {
        return java.util.Optional.of(o);
      }
    }
    return java.util.Optional.empty();
  }
}
