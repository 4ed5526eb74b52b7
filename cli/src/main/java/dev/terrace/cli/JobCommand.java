package dev.terrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.cli.jobs.FrameworkApi;
import dev.terrace.cli.jobs.ShellWords;
import dev.terrace.common.model.CommandInfo;
import dev.terrace.jobs.spec.ConcurrencyPolicy;
import dev.terrace.sdk.placement.Constraint;
import dev.terrace.jobs.spec.JobSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "job", mixinStandardHelpOptions = true,
    description = "Batch and scheduled jobs through the jobs framework.",
    subcommands = {JobCommand.Submit.class, JobCommand.Ls.class, JobCommand.Show.class, JobCommand.Logs.class,
        JobCommand.Kill.class, JobCommand.Rm.class})
final class JobCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  /** Where the jobs framework is; shared by every subcommand. */
  static final class Target {
    @Option(names = "--jobs", defaultValue = "${env:TERRACE_JOBS:-http://127.0.0.1:5060}",
        description = "The jobs framework's URL, any instance (env TERRACE_JOBS, default ${DEFAULT-VALUE}).")
    String url;

    FrameworkApi api() {
      return new FrameworkApi(url);
    }
  }

  /** Runs {@code work}, printing a failure as {@code terrace: why} with exit code 1. */
  static int attempt(Callable<Integer> work) {
    try {
      return work.call();
    } catch (Exception e) {
      System.err.println("terrace: " + e.getMessage());
      return 1;
    }
  }

  static String time(JsonNode ms) {
    return ms.isMissingNode() || ms.isNull() ? "-" : Instant.ofEpochMilli(ms.asLong()).toString();
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = "Create or update a job; without --schedule or --after it also starts a run now.")
  static final class Submit implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Parameters(index = "1..*", paramLabel = "CMD", description = "The command (after --); one word runs under sh -c as is.")
    List<String> command = new ArrayList<>();
    @Option(names = "--image", description = "OCI image to run in (default: the host's filesystem).") String image;
    @Option(names = "--cpus") Double cpus;
    @Option(names = "--mem", description = "MB") Double mem;
    @Option(names = "--disk", description = "MB") Double disk;
    @Option(names = "--gpus") Double gpus;
    @Option(names = "--env", description = "NAME=VALUE (repeatable)") Map<String, String> env = new LinkedHashMap<>();
    @Option(names = "--uri", description = "A URL the agent fetches into the sandbox (repeatable).") List<String> uris = new ArrayList<>();
    @Option(names = "--role") String role;
    @Option(names = "--constraint", description = "field:LIKE|UNLIKE|UNIQUE|CLUSTER[:value] (repeatable).") List<String> constraints = new ArrayList<>();
    @Option(names = "--instances") Integer instances;
    @Option(names = "--retries") Integer retries;
    @Option(names = "--retry-backoff", description = "seconds before the first retry (doubles)") Double backoff;
    @Option(names = "--timeout", description = "seconds a run may take") Double timeout;
    @Option(names = "--schedule", description = "cron: 'MIN HOUR DOM MON DOW' or @daily, @hourly...") String schedule;
    @Option(names = "--time-zone", description = "zone of the schedule (default UTC)") String timeZone;
    @Option(names = "--concurrency", description = "ALLOW, FORBID (default) or REPLACE") ConcurrencyPolicy concurrency;
    @Option(names = "--after", description = "run after this job succeeds (repeatable)") List<String> after = new ArrayList<>();

    @Override
    public Integer call() {
      return attempt(() -> {
        List<Constraint> parsed = constraints.stream().map(Constraint::parse).toList();
        List<CommandInfo.Uri> fetch = uris.stream().map(u -> new CommandInfo.Uri(u, null, null, null, null)).toList();
        JobSpec spec = new JobSpec(name, image, command.isEmpty() ? null : ShellWords.join(command), cpus, mem,
            disk, gpus, env, fetch, role, parsed, instances, retries, backoff, timeout, schedule, timeZone,
            concurrency, after);
        FrameworkApi api = target.api();
        JsonNode job = api.put("/v1/jobs/" + name, spec);
        if (schedule == null && after.isEmpty()) {
          JsonNode run = api.post("/v1/jobs/" + name + "/runs");
          System.out.println("job " + name + ": run " + run.path("number").asInt() + " started");
        } else if (schedule != null) {
          System.out.println("job " + name + " scheduled; next run at " + time(job.path("next_fire_at")));
        } else {
          System.out.println("job " + name + " saved; it runs each time " + String.join(" and ", after) + (after.size() == 1 ? " succeeds" : " succeed"));
        }
        return 0;
      });
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List jobs.")
  static final class Ls implements Callable<Integer> {
    @Mixin Target target;

    @Override
    public Integer call() {
      return attempt(() -> {
        System.out.printf("%-24s %-16s %-22s %-6s %-10s %s%n", "NAME", "SCHEDULE", "NEXT", "LAST", "STATUS", "ACTIVE");
        for (JsonNode j : target.api().get("/v1/jobs")) {
          System.out.printf("%-24s %-16s %-22s %-6s %-10s %d%n", j.path("name").asText(),
              j.path("schedule").asText("-"), time(j.path("next_fire_at")), j.path("last_run").asText("-"),
              j.path("last_status").asText("-"), j.path("active_runs").asInt());
        }
        return 0;
      });
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "A job, its runs with their states, and why waiting runs wait.")
  static final class Show implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return attempt(() -> {
        JsonNode job = target.api().get("/v1/jobs/" + name);
        JsonNode spec = job.path("spec");
        System.out.println("job " + name + ": " + (spec.has("image") ? "image " + spec.path("image").asText() + ", " : "")
            + "command " + spec.path("command").asText("(the image's)") + ", cpus " + spec.path("cpus").asDouble()
            + ", mem " + spec.path("mem").asDouble() + ", instances " + spec.path("instances").asInt()
            + ", retries " + spec.path("retries").asInt());
        if (spec.has("schedule")) {
          System.out.println("schedule " + spec.path("schedule").asText() + " (" + spec.path("time_zone").asText()
              + ", " + spec.path("concurrency_policy").asText() + "), next " + time(job.path("next_fire_at")));
        }
        System.out.printf("%-5s %-10s %-10s %-24s %-24s %-8s %-14s %-5s %s%n", "RUN", "STATUS", "TRIGGER",
            "STARTED", "ENDED", "TRY", "STATE", "EXIT", "AGENT / TASK");
        for (JsonNode run : job.path("runs")) {
          for (JsonNode a : run.path("attempts")) {
            System.out.printf("%-5d %-10s %-10s %-24s %-24s %-8s %-14s %-5s %s%n", run.path("number").asInt(),
                run.path("status").asText(), run.path("trigger").asText(), time(a.path("launched_at")),
                time(a.path("finished_at")), a.path("instance").asInt() + "." + a.path("attempt").asInt(),
                a.path("state").asText(), a.path("exit_code").asText("-"),
                a.path("hostname").asText("-") + " " + a.path("task_id").asText(""));
          }
          if (run.has("message")) {
            System.out.println("      " + run.path("message").asText());
          }
        }
        job.path("pending_reasons").fields().forEachRemaining(e -> {
          System.out.println("waiting " + e.getKey() + ":");
          e.getValue().forEach(r -> System.out.println("  " + r.asText()));
        });
        if (job.has("allocator")) {
          System.out.println("allocator: " + job.path("allocator"));
        }
        return 0;
      });
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "stdout (or stderr) of a run's task.")
  static final class Logs implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;
    @Option(names = "--run", description = "run number (default: the latest)") Integer run;
    @Option(names = "--instance", defaultValue = "0") int instance;
    @Option(names = "--stderr") boolean stderr;
    @Option(names = {"-f", "--follow"}) boolean follow;

    @Override
    public Integer call() {
      return attempt(() -> {
        JsonNode job = target.api().get("/v1/jobs/" + name);
        JsonNode chosen = null;
        for (JsonNode r : job.path("runs")) {
          if (run == null || r.path("number").asInt() == run) {
            chosen = r;
            break;
          }
        }
        if (chosen == null) {
          throw new IllegalArgumentException("job " + name + " has " + (run == null ? "no runs yet" : "no run " + run));
        }
        String task = null;
        for (JsonNode a : chosen.path("attempts")) {
          if (a.path("instance").asInt() == instance && a.has("task_id")) {
            task = a.path("task_id").asText(); // the newest launched attempt of that instance wins
          }
        }
        if (task == null) {
          throw new IllegalArgumentException("run " + chosen.path("number").asInt() + " has not launched instance "
              + instance + " yet (terrace job show " + name + " says why)");
        }
        LogsCommand logs = new LogsCommand();
        logs.master = job.path("master_url").asText(System.getenv().getOrDefault("TERRACE_MASTER", "http://127.0.0.1:5050"));
        logs.taskId = task;
        logs.stderr = stderr;
        logs.follow = follow;
        return logs.call();
      });
    }
  }

  @Command(name = "kill", mixinStandardHelpOptions = true, description = "Kill a job's active runs (no retries).")
  static final class Kill implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return attempt(() -> {
        JsonNode killed = target.api().post("/v1/jobs/" + name + "/kill");
        System.out.println("job " + name + ": killed " + killed.size() + " active run(s)");
        return 0;
      });
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Kill a job's runs and remove it with its history.")
  static final class Rm implements Callable<Integer> {
    @Mixin Target target;
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    public Integer call() {
      return attempt(() -> {
        target.api().delete("/v1/jobs/" + name);
        System.out.println("job " + name + " removed");
        return 0;
      });
    }
  }
}
