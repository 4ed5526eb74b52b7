package dev.terrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.terrace.cli.ops.MasterHttp;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", aliases = "tasks", mixinStandardHelpOptions = true,
    description = "List tasks: live ones, and with --all the recently completed too.")
final class PsCommand implements Callable<Integer> {
  @Option(names = "--master", defaultValue = "${env:TERRACE_MASTER:-http://127.0.0.1:5050}",
      description = "http://host:port or zk://host:port/path (env TERRACE_MASTER, default ${DEFAULT-VALUE}).")
  String master;

  @Option(names = "--all", description = "Include finished, failed and killed tasks.")
  boolean all;

  @Option(names = "--json", description = "Print the master's /master/tasks JSON (for scripts).")
  boolean json;

  @Option(names = "--limit", defaultValue = "100", description = "At most this many tasks (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws Exception {
    try (MasterHttp m = new MasterHttp(master)) {
      if (json) {
        System.out.println(dev.terrace.common.json.Json.mapper().writerWithDefaultPrettyPrinter()
            .writeValueAsString(m.get("/master/tasks?limit=" + limit)));
        return 0;
      }
      JsonNode state = m.get("/master/state");
      print(System.out, state, all, limit);
      return 0;
    } catch (Exception e) {
      System.err.println("terrace: " + e.getMessage());
      return 1;
    }
  }

  /** One line per task: id, state, framework, agent host, resources, name. */
  static void print(PrintStream out, JsonNode state, boolean all, int limit) {
    java.util.Map<String, String> hosts = new java.util.HashMap<>();
    for (JsonNode s : state.path("slaves")) {
      hosts.put(s.path("id").asText(), s.path("hostname").asText());
    }
    List<String[]> rows = new ArrayList<>();
    for (JsonNode fw : state.path("frameworks")) {
      addTasks(rows, fw, fw.path("tasks"), hosts);
      if (all) {
        addTasks(rows, fw, fw.path("completed_tasks"), hosts);
      }
    }
    if (all) {
      for (JsonNode fw : state.path("completed_frameworks")) {
        addTasks(rows, fw, fw.path("tasks"), hosts);
        addTasks(rows, fw, fw.path("completed_tasks"), hosts);
      }
    }
    out.printf("%-36s %-16s %-20s %-20s %6s %8s  %s%n", "TASK", "STATE", "FRAMEWORK", "HOST", "CPUS", "MEM", "NAME");
    rows.stream().limit(limit).forEach(r ->
        out.printf(Locale.ROOT, "%-36s %-16s %-20s %-20s %6s %8s  %s%n", (Object[]) r));
  }

  private static void addTasks(List<String[]> rows, JsonNode fw, JsonNode tasks,
      java.util.Map<String, String> hosts) {
    for (JsonNode t : tasks) {
      rows.add(new String[] {t.path("id").asText(), t.path("state").asText(),
          fw.path("name").asText(), hosts.getOrDefault(t.path("slave_id").asText(), t.path("slave_id").asText()),
          trim(t.path("resources").path("cpus").asDouble()), trim(t.path("resources").path("mem").asDouble()),
          t.path("name").asText()});
    }
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }
}
