package dev.terrace.bench.webui;

import dev.terrace.bench.failover.SimulatedAgents;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.FrameworkInfo;
import dev.terrace.master.MasterConfig;
import dev.terrace.master.MasterServer;
import dev.terrace.master.zookeeper.EmbeddedZooKeeper;
import java.io.File;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The web UI at scale: a real master holding N simulated agents with T running tasks each (the
 * master's real agent protocol over in-process connections, as {@code bench/run failover}), and
 * Debian's headless chromium loading the UI from it. Per round, a fresh page load of the overview
 * and of the tasks list, timed from navigation start to the page's first paint with the cluster's
 * data (app.js marks {@code terrace:painted:<page>} in the Performance timeline on the frame after
 * its first render from the SUBSCRIBED snapshot); then, on the loaded page, a re-sort of the whole
 * tasks list by name. Also the snapshot's size and how long the master takes to send it.
 *
 * <p>Usage: {@code WebUiBenchmark [--agents N] [--tasks-per-agent T] [--rounds R]}; the last line
 * printed is a JSON summary.
 */
public final class WebUiBenchmark {
  private WebUiBenchmark() {}

  public static void main(String[] args) throws Exception {
    int agents = intArg(args, "--agents", 10_000);
    int tasksPerAgent = intArg(args, "--tasks-per-agent", 10);
    int rounds = intArg(args, "--rounds", 3);
    Path dir = Files.createTempDirectory("terrace-webui-bench");
    FrameworkInfo framework = new FrameworkInfo("bench", "bench-framework", FrameworkId.of("bench-fw"),
        3600.0, true, null, List.of(), null, null, null, null, null);
    System.err.printf("building %d agents x %d tasks...%n", agents, tasksPerAgent);
    SimulatedAgents sim = new SimulatedAgents(agents, tasksPerAgent, framework);
    try (EmbeddedZooKeeper zk = new EmbeddedZooKeeper(0, dir.resolve("zk")).start()) {
      MasterServer master = MasterServer.start(MasterConfig.builder().advertisedHost("127.0.0.1")
          .bindHost("127.0.0.1").port(0).workDir(dir.resolve("master"))
          .zkUrl("zk://" + zk.connectString() + "/terrace").build());
      long deadline = System.currentTimeMillis() + 60_000;
      while (!master.isLeader() && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      sim.registerAll(master, 600);
      System.err.printf("%d agents with %d tasks registered%n", agents, agents * tasksPerAgent);
      double[] snapshot = snapshot(master.url());
      System.err.printf(Locale.ROOT, "SUBSCRIBED snapshot: %.1f MB in %.0f ms%n", snapshot[0], snapshot[1]);

      double[] overview = new double[rounds];
      double[] tasks = new double[rounds];
      double[] sort = new double[rounds];
      double[][] phases = new double[rounds][];
      double[] earlyOverview = new double[rounds];
      double[] earlyTasks = new double[rounds];
      double heapMb = 0;
      ChromeDriver driver = browser();
      try {
        for (int r = 0; r < rounds; r++) {
          overview[r] = paint(driver, master.url() + "/#/", "overview");
          earlyOverview[r] = mark(driver, "terrace:early:overview");
          tasks[r] = paint(driver, master.url() + "/#/tasks", "tasks");
          earlyTasks[r] = mark(driver, "terrace:early:tasks");
          phases[r] = phases(driver);
          // The whole list re-sorted by name, on the loaded page (a synchronous click handler).
          sort[r] = ((Number) driver.executeScript("const th = [...document.querySelectorAll('#tasks th')]"
              + ".find((h) => h.textContent === 'Name'); const t0 = performance.now(); th.click();"
              + " return performance.now() - t0;")).doubleValue();
          heapMb = ((Number) driver.executeScript(
              "return performance.memory ? performance.memory.usedJSHeapSize : 0;")).doubleValue() / (1 << 20);
          System.err.printf(Locale.ROOT, "round %d: overview first paint %.0f ms, live %.0f ms; tasks first paint"
              + " %.0f ms, live %.0f ms; sort %.0f ms; tasks page: subscribe sent %.0f, snapshot parsed %.0f,"
              + " model loaded %.0f ms%n", r + 1, earlyOverview[r], overview[r], earlyTasks[r], tasks[r], sort[r],
              phases[r][0], phases[r][1], phases[r][2]);
        }
      } finally {
        driver.quit();
        master.close();
      }
      System.out.printf(Locale.ROOT, "{\"benchmark\":\"webui\",\"agents\":%d,\"tasks\":%d,\"rounds\":%d,"
              + "\"snapshot_mb\":%.1f,\"snapshot_ms\":%.0f,"
              + "\"overview_first_paint_ms_median\":%.0f,\"tasks_first_paint_ms_median\":%.0f,"
              + "\"overview_live_paint_ms_best\":%.0f,\"overview_live_paint_ms_median\":%.0f,"
              + "\"tasks_live_paint_ms_best\":%.0f,\"tasks_live_paint_ms_median\":%.0f,"
              + "\"tasks_sort_ms_median\":%.0f,\"js_heap_mb\":%.0f}%n",
          agents, agents * tasksPerAgent, rounds, snapshot[0], snapshot[1], median(earlyOverview),
          median(earlyTasks), min(overview), median(overview),
          min(tasks), median(tasks), median(sort), heapMb);
    }
    System.exit(0);
  }

  /** Loads {@code url} afresh and answers ms from navigation start to the page's first data paint. */
  private static double paint(ChromeDriver driver, String url, String page) throws InterruptedException {
    driver.get("about:blank");
    driver.get(url);
    String mark = "terrace:painted:" + page;
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      Object t = driver.executeScript("const m = performance.getEntriesByName(arguments[0]);"
          + " return m.length ? m[0].startTime : null;", mark);
      if (t != null) {
        return ((Number) t).doubleValue();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException(page + " did not paint within 120 s; banner: "
        + driver.findElement(By.id("banner")).getText());
  }

  /** When (ms from navigation start) the mark was set, or -1 when it was not (the page went live first). */
  private static double mark(ChromeDriver driver, String name) {
    return ((Number) driver.executeScript("const m = performance.getEntriesByName(arguments[0]);"
        + " return m.length ? m[0].startTime : -1;", name)).doubleValue();
  }

  /** When (ms from navigation start) the page sent SUBSCRIBE, had the snapshot parsed, had it in its model. */
  private static double[] phases(ChromeDriver driver) {
    double[] out = new double[3];
    String[] marks = {"terrace:subscribe", "terrace:snapshot-parsed", "terrace:model-loaded"};
    for (int i = 0; i < marks.length; i++) {
      out[i] = mark(driver, marks[i]);
    }
    return out;
  }

  /** Size (MB) of the SUBSCRIBED record and ms until it is fully received. */
  private static double[] snapshot(String base) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long start = System.nanoTime();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1"))
        .header("Content-Type", "application/json").timeout(Duration.ofMinutes(2))
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"SUBSCRIBE\"}")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      StringBuilder len = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        len.append((char) c);
      }
      long n = Long.parseLong(len.toString());
      in.readNBytes((int) n);
      return new double[] {n / 1e6, (System.nanoTime() - start) / 1e6};
    }
  }

  private static ChromeDriver browser() throws Exception {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(executable("chromium"));
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--window-size=1280,900", "--no-first-run", "--disable-background-networking",
        "--user-data-dir=" + Files.createTempDirectory("terrace-webui-bench-chromium"));
    return new ChromeDriver(new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(executable("chromedriver"))).usingAnyFreePort().build(), options);
  }

  private static String executable(String name) {
    for (String d : (System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin")
        .split(File.pathSeparator)) {
      if (!d.isEmpty() && new File(d, name).canExecute()) {
        return new File(d, name).getPath();
      }
    }
    throw new IllegalStateException(name + " is not installed (apt-get install chromium chromium-driver)");
  }

  private static double min(double[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static int intArg(String[] args, String name, int dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return dflt;
  }
}
