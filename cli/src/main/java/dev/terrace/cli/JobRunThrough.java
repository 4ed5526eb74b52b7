package dev.terrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.cli.jobs.FrameworkApi;
import dev.terrace.cli.jobs.ShellWords;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code terrace run --job NAME}: the one-shot run, but submitted through the jobs framework, so it
 * is recorded in the job's history (and retried, placed and explained like any job). Waits for the
 * run to end, prints its stdout, and exits with its exit code (125 when it never ran).
 */
final class JobRunThrough {
  private final FrameworkApi api;
  private final String job;

  JobRunThrough(String jobsUrl, String job) {
    this.api = new FrameworkApi(jobsUrl);
    this.job = job;
  }

  int run(List<String> command, String image, double cpus, double mem, Map<String, String> env) {
    try {
      Map<String, Object> spec = new LinkedHashMap<>();
      if (command != null && !command.isEmpty()) {
        spec.put("command", ShellWords.join(command));
      }
      if (image != null) {
        spec.put("image", image);
      }
      spec.put("cpus", cpus);
      spec.put("mem", mem);
      spec.put("env", env);
      api.put("/v1/jobs/" + job, spec);
      int number = api.post("/v1/jobs/" + job + "/runs").path("number").asInt();
      System.err.println("terrace: job " + job + " run " + number + " submitted");
      JsonNode run = api.get("/v1/jobs/" + job + "/runs/" + number);
      String last = "";
      while (!List.of("SUCCEEDED", "FAILED", "KILLED").contains(run.path("status").asText())) {
        String now = run.path("status").asText();
        if (!now.equals(last)) {
          System.err.println("terrace: " + now);
          last = now;
        }
        Thread.sleep(250); // polling the jobs API; a CLI may wait
        run = api.get("/v1/jobs/" + job + "/runs/" + number);
      }
      System.err.println("terrace: " + run.path("status").asText()
          + (run.has("message") ? ": " + run.path("message").asText() : ""));
      JsonNode attempt = null;
      for (JsonNode a : run.path("attempts")) {
        if (a.path("instance").asInt() == 0 && a.has("task_id")) {
          attempt = a;
        }
      }
      if (attempt == null) {
        return 125;
      }
      LogsCommand logs = new LogsCommand();
      logs.master = api.get("/v1/jobs/" + job).path("master_url").asText();
      logs.taskId = attempt.path("task_id").asText();
      logs.call();
      return attempt.has("exit_code") ? attempt.path("exit_code").asInt() : 125;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 125;
    } catch (Exception e) {
      System.err.println("terrace: " + e.getMessage());
      return 125;
    }
  }
}
