package dev.terrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.cli.jobs.FrameworkApi;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

@Command(name = "notebook", mixinStandardHelpOptions = true,
    description = "Jupyter notebook servers, one per user, through the notebooks framework (a subcommand is required).",
    subcommands = {NotebookCommand.Start.class, NotebookCommand.Ls.class, NotebookCommand.Stop.class})
final class NotebookCommand {
  // Inherited: given before or after the subcommand, it lands in this field.
  @Option(names = "--notebooks", scope = ScopeType.INHERIT,
      defaultValue = "${env:TERRACE_NOTEBOOKS:-http://127.0.0.1:5080}",
      description = "The notebooks framework's URL, any instance (env TERRACE_NOTEBOOKS, default ${DEFAULT-VALUE}).")
  String url;

  FrameworkApi api() {
    return new FrameworkApi(url);
  }

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Start USER's notebook server and print its URL with the user's token.")
  static final class Start implements Callable<Integer> {
    @ParentCommand NotebookCommand target;
    @Parameters(index = "0", paramLabel = "USER") String user;
    @Option(names = "--wait", defaultValue = "120", description = "seconds to wait for the server (default ${DEFAULT-VALUE})")
    long waitSeconds;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        JsonNode n = target.api().post("/v1/notebooks/" + user);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(waitSeconds));
        while (!"RUNNING".equals(n.path("state").asText()) && Instant.now().isBefore(deadline)) {
          if ("STOPPED".equals(n.path("state").asText())) {
            System.err.println("terrace: the notebook of " + user + " stopped: " + n.path("stop_reason").asText());
            return 1;
          }
          Thread.sleep(500); // polling the framework's API while the server starts
          n = target.api().get("/v1/notebooks/" + user);
        }
        if (!"RUNNING".equals(n.path("state").asText())) {
          System.err.println("terrace: the notebook of " + user + " is still " + n.path("state").asText()
              + " after " + waitSeconds + " s; `terrace notebook ls` shows when it runs");
          return 1;
        }
        System.out.println("notebook of " + user + " running at " + n.path("url").asText());
        System.out.println("open " + n.path("login_url").asText());
        return 0;
      });
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List notebooks (without their tokens).")
  static final class Ls implements Callable<Integer> {
    @ParentCommand NotebookCommand target;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        JsonNode list = target.api().get("/v1/notebooks");
        System.out.printf("%-20s %-9s %-32s %s%n", "USER", "STATE", "URL", "LAST ACTIVITY / STOPPED BECAUSE");
        for (JsonNode n : list) {
          String note = n.hasNonNull("stop_reason") ? n.path("stop_reason").asText()
              : JobCommand.time(n.path("last_activity"));
          System.out.printf("%-20s %-9s %-32s %s%n", n.path("user").asText(), n.path("state").asText(),
              n.path("url").asText("-"), note);
        }
        return 0;
      });
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stop USER's notebook server; the files stay for the next start.")
  static final class Stop implements Callable<Integer> {
    @ParentCommand NotebookCommand target;
    @Parameters(index = "0", paramLabel = "USER") String user;

    @Override
    public Integer call() {
      return JobCommand.attempt(() -> {
        JsonNode n = target.api().delete("/v1/notebooks/" + user);
        System.out.println("notebook of " + user + " " + n.path("state").asText().toLowerCase());
        return 0;
      });
    }
  }
}
