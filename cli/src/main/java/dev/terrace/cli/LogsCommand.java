package dev.terrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.cli.ops.MasterHttp;
import dev.terrace.cli.run.SandboxLogFollower;
import dev.terrace.common.model.FrameworkId;
import dev.terrace.common.model.TaskId;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print a task's stdout (or stderr) from its sandbox; --follow keeps printing while it runs.")
final class LogsCommand implements Callable<Integer> {
  @Option(names = "--master", defaultValue = "${env:TERRACE_MASTER:-http://127.0.0.1:5050}",
      description = "http://host:port or zk://host:port/path (env TERRACE_MASTER, default ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--stderr", description = "The task's stderr instead of its stdout.")
  boolean stderr;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the task ends.")
  boolean follow;

  @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task.")
  String taskId;

  @Override
  public Integer call() throws Exception {
    try (MasterHttp m = new MasterHttp(master)) {
      JsonNode task = find(m.get("/master/state"), taskId);
      if (task == null) {
        System.err.println("terrace: no task " + taskId + " is known to the master");
        return 1;
      }
      URI agent = m.agentUrl(task.path("slave_id").asText());
      String path = SandboxLogFollower.sandboxPath(FrameworkId.of(task.path("framework_id").asText()),
          TaskId.of(taskId), stderr ? "stderr" : "stdout");
      SandboxLogFollower logs = new SandboxLogFollower(m.client(), agent, path, stderr ? System.err : System.out);
      logs.drain();
      while (follow && isLive(m, taskId)) {
        logs.poll();
        Thread.sleep(250); // polling the files API, as Mesos' UI does; a CLI may wait
      }
      logs.drain();
      return 0;
    } catch (Exception e) {
      System.err.println("terrace: " + e.getMessage());
      return 1;
    }
  }

  private static boolean isLive(MasterHttp m, String taskId) throws Exception {
    JsonNode state = m.get("/master/state");
    for (JsonNode fw : state.path("frameworks")) {
      for (JsonNode t : fw.path("tasks")) {
        if (t.path("id").asText().equals(taskId)) {
          return true;
        }
      }
    }
    return false;
  }

  static JsonNode find(JsonNode state, String taskId) {
    java.util.List<JsonNode> fws = new java.util.ArrayList<>();
    state.path("frameworks").forEach(fws::add);
    state.path("completed_frameworks").forEach(fws::add);
    for (JsonNode fw : fws) {
      for (String list : new String[] {"tasks", "completed_tasks"}) {
        for (JsonNode t : fw.path(list)) {
          if (t.path("id").asText().equals(taskId)) {
            return t;
          }
        }
      }
    }
    return null;
  }
}
