package dev.terrace.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "kill", mixinStandardHelpOptions = true,
    description = {"Kill a task, whatever framework runs it, and wait until it has ended.",
        "Its framework sees TASK_KILLED as if it had asked (and may start a replacement)."})
public final class KillCommand extends OperatorCommand {
  @Parameters(paramLabel = "TASK", description = "The task id.")
  String taskId;

  @Option(names = "--grace", description = "Seconds between SIGTERM and SIGKILL (default: the task's own).")
  Double graceSeconds;

  @Option(names = "--wait", defaultValue = "60", description = "Seconds to wait for the task to end (0: do not wait; default ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Override
  protected int run(MasterHttp master, PrintStream out) throws Exception {
    JsonNode task = find(master);
    if (task == null) {
      throw new MasterRefusedException(404, "No task " + taskId + " is known to the master");
    }
    if (terminal(task.path("state").asText())) {
      out.println(taskId + " already ended: " + task.path("state").asText());
      return 0;
    }
    ObjectNode kill = call("KILL_TASK");
    ObjectNode body = kill.putObject("kill_task");
    body.putObject("framework_id").put("value", task.path("framework_id").asText());
    body.putObject("task_id").put("value", taskId);
    if (graceSeconds != null) {
      body.putObject("kill_policy").putObject("grace_period").put("nanoseconds", (long) (graceSeconds * 1e9));
    }
    master.call(kill);
    if (waitSeconds <= 0) {
      out.println("kill of " + taskId + " sent");
      return 0;
    }
    System.err.print("killing " + taskId);
    Instant deadline = Instant.now().plus(Duration.ofSeconds(waitSeconds));
    while (Instant.now().isBefore(deadline)) {
      JsonNode now = find(master);
      if (now == null || terminal(now.path("state").asText())) {
        System.err.println();
        out.println(taskId + " " + (now == null ? "is gone" : now.path("state").asText()));
        return 0;
      }
      System.err.print(".");
      Thread.sleep(250);
    }
    System.err.println();
    System.err.println("terrace: " + taskId + " had not ended after " + waitSeconds + " s");
    return UNREACHABLE;
  }

  private JsonNode find(MasterHttp master) throws Exception {
    JsonNode tasks = master.get("/master/tasks?task_id=" + URLEncoder.encode(taskId, StandardCharsets.UTF_8)
        + "&limit=1").path("tasks");
    return tasks.isEmpty() ? null : tasks.get(0);
  }

  private static boolean terminal(String state) {
    return switch (state) {
      case "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED",
          "TASK_GONE", "TASK_GONE_BY_OPERATOR" -> true;
      default -> false;
    };
  }
}
